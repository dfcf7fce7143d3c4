/// Client input quoted in an error message: in single quotes, cut to 100 characters, control
/// characters shown as `?`, so a message stays one readable line whatever was sent.
public struct Quoted: CustomStringConvertible, Sendable {
    public let text: String

    public init(_ text: some StringProtocol) { self.text = String(text) }

    public var description: String {
        let limit = 100
        var shown = String(text.prefix(limit).map { $0.unicodeScalars.contains(where: Self.isControlOrFormat) ? "?" : $0 })
        if text.count > limit { shown += "…" }
        return "'" + shown + "'"
    }

    /// Control characters (C0, C1) and invisible format characters (general categories Cc and Cf).
    private static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
    }
}
