import ShopCore
import Testing

@Suite struct PercentEncodingTests {
    @Test func keepsUnreservedTextAsItIs() {
        #expect(PercentEncoding.unreserved("kids-bible_2.0~x") == "kids-bible_2.0~x")
        #expect(PercentEncoding.unreserved("") == "")
    }

    /// RFC 3986 §2.3: every other byte, of UTF-8 too, as `%HH` in upper case.
    @Test func escapesEveryOtherByte() {
        #expect(PercentEncoding.unreserved("café menu") == "caf%C3%A9%20menu")
        #expect(PercentEncoding.unreserved("a/b?c=d&e") == "a%2Fb%3Fc%3Dd%26e")
        #expect(PercentEncoding.unreserved("%") == "%25")
    }
}
