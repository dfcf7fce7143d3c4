/// Client input quoted in an error message: in single quotes, cut to 100 characters, control
/// characters shown as `?`, so a message stays one readable line whatever was sent.
public struct Quoted: CustomStringConvertible, Sendable {
    public let text: String

    public init(_ text: some StringProtocol) { self.text = String(text) }

    public var description: String {
        let limit = 100
        var shown = String(text.prefix(limit).map { $0.unicodeScalars.contains(where: \.properties.isControlOrFormat) ? "?" : $0 })
        if text.count > limit { shown += "…" }
        return "'" + shown + "'"
    }
}

extension Unicode.Scalar.Properties {
    /// Control characters (C0, C1) and invisible format characters (general categories Cc and Cf).
    public var isControlOrFormat: Bool { generalCategory == .control || generalCategory == .format }
}
