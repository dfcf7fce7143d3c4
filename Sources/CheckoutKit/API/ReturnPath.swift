/// Where a form post may send the shopper back to: a path on the storefront, never another site, and
/// nothing that could not stand in a `Location` header as it is (printable ASCII only).
func safeReturnPath(_ raw: String?, fallback: String) -> String {
    guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.utf8.count <= 2048,
          raw.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
    else { return fallback }
    return raw
}
