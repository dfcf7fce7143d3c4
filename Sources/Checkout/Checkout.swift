import CheckoutKit
@main struct Checkout { static func main() {} }
