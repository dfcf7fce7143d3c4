import ShopCore
import Testing

@Suite struct MoneyTests {
    @Test func readsDecimalAmountsExactly() {
        #expect(Money("4.99 USD") == Money(amount: 499, currency: .usd))
        #expect(Money("19 USD")?.amount == 1900)
        #expect(Money("0.5 USD")?.amount == 50)
        #expect(Money("1200 JPY")?.amount == 1200)
        #expect(Money("1.234 KWD")?.amount == 1234)
    }

    @Test func refusesMalformedAmounts() {
        #expect(Money("4.999 USD") == nil)
        #expect(Money("4.5 JPY") == nil)
        #expect(Money("four USD") == nil)
        #expect(Money("4.99 XYZ") == nil)
        #expect(Money("4.99") == nil)
        #expect(Money("4. USD") == nil)
    }

    @Test func formatsForPeopleAndForSchemaOrg() {
        let price = Money(amount: 1999, currency: .usd)
        #expect(price.formatted == "$19.99")
        #expect(price.decimalString == "19.99")
        #expect(price.description == "19.99 USD")
        #expect(Money(amount: 5, currency: .usd).decimalString == "0.05")
        #expect(Money(amount: -250, currency: .usd).formatted == "-$2.50")
    }

    @Test func percentagesRoundHalfUpToTheCent() {
        let total = Money(amount: 2997, currency: .usd)
        #expect(total.percentage(30).amount == 899)
        #expect(Money(amount: 5, currency: .usd).percentage(50).amount == 3)
        #expect(Money(amount: 1000, currency: .usd).percentage(0).amount == 0)
    }
}
