/// A value a template shows: text, numbers and flags, lists to loop over and objects to look into.
///
/// Typed rather than `Any`, so rendering needs no dynamic casts and contexts can be shared between threads.
public enum TemplateValue: Sendable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case text(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])
    case null

    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Text, or null when `text` is nil.
    public static func text(_ text: String?) -> TemplateValue { text.map { .text($0) } ?? .null }

    /// Whether a section shows: false, empty text, zero, an empty list and null do not.
    public var isTruthy: Bool {
        switch self {
        case let .bool(value): return value
        case let .text(value): return !value.isEmpty
        case let .int(value): return value != 0
        case let .list(items): return !items.isEmpty
        case .object: return true
        case .null: return false
        }
    }

    /// The member `name` of an object, or nil.
    public subscript(member name: String) -> TemplateValue? {
        if case let .object(fields) = self { return fields[name] }
        return nil
    }
}
