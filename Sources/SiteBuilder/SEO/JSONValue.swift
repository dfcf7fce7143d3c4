/// JSON with object keys kept in the order written, so output is byte-for-byte deterministic.
indirect enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(integerLiteral value: Int) { self = .integer(value) }

    /// Compact JSON. `<`, `>` and `&` are escaped so the text is safe inside a `<script>` element.
    var text: String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case let .string(value): JSONValue.writeString(value, into: &out)
        case let .integer(value): out.append(contentsOf: String(value).utf8)
        case let .bool(value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case let .array(items):
            out.append(91)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(44) }
                item.write(into: &out)
            }
            out.append(93)
        case let .object(pairs):
            out.append(123)
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(44) }
                JSONValue.writeString(pair.0, into: &out)
                out.append(58)
                pair.1.write(into: &out)
            }
            out.append(125)
        }
    }

    private static func writeString(_ value: String, into out: inout [UInt8]) {
        out.append(34)
        var value = value
        value.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 34: out.append(contentsOf: [92, 34])
                case 92: out.append(contentsOf: [92, 92])
                case 10: out.append(contentsOf: [92, 110])
                case 13: out.append(contentsOf: [92, 114])
                case 9: out.append(contentsOf: [92, 116])
                case 60: out.append(contentsOf: "\\u003c".utf8)
                case 62: out.append(contentsOf: "\\u003e".utf8)
                case 38: out.append(contentsOf: "\\u0026".utf8)
                case 0..<32:
                    let hex = String(byte, radix: 16)
                    out.append(contentsOf: ("\\u00" + (hex.count == 1 ? "0" : "") + hex).utf8)
                case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80 && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    out.append(contentsOf: (bytes[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    index += 2
                default:
                    out.append(byte)
                }
            }
        }
        out.append(34)
    }
}

/// Builds a JSON object, leaving out keys whose value is empty.
struct JSONObject {
    private(set) var pairs: [(String, JSONValue)] = []

    mutating func set(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }

    mutating func setNonEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { pairs.append((key, .string(value))) }
    }

    var value: JSONValue { .object(pairs) }
}
