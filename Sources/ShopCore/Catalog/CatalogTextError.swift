/// A problem in catalog text, located by file and line.
public struct CatalogTextError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public let hint: String?

    public init(file: String, line: Int, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(file):\(line): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}
