import Foundation
import Hummingbird
import NIOCore

/// A value the API writes as JSON straight into the response bytes.
protocol JSONBody {
    func write(to json: inout JSONOutput)
}

/// Writes JSON into a `ByteBuffer` as it goes. The busiest responses (carts, orders, checkouts) use it:
/// `JSONEncoder` builds a tree of boxed values first and was the largest cost of `GET /api/carts/{id}`.
/// Members are written in the order given; write them sorted, as the rest of the API's bodies are.
struct JSONOutput {
    private(set) var buffer: ByteBuffer
    /// Whether the next value opens its container (so it needs no comma before it).
    private var opening = true

    init(capacity: Int = 512) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func object(_ members: (inout JSONOutput) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        opening = true
        members(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        opening = false
    }

    mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONOutput, Items.Element) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        opening = true
        for item in items { element(&self, item) }
        buffer.writeInteger(UInt8(ascii: "]"))
        opening = false
    }

    mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
        opening = true
    }

    mutating func string(_ value: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            if !bytes.contains(where: Self.needsEscape) {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes { escape(byte) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes `json`, already-serialized JSON (one value), as the next value.
    mutating func raw(_ json: Data) {
        separate()
        buffer.writeBytes(json)
    }

    mutating func integer(_ value: some BinaryInteger) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "true" : "false")
    }

    /// `"name": value`; a nil string leaves the member out, as `JSONEncoder` does.
    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: some BinaryInteger) {
        key(name)
        integer(value)
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func member(_ name: StaticString, _ value: (some JSONBody)?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    private mutating func separate() {
        if !opening { buffer.writeInteger(UInt8(ascii: ",")) }
        opening = false
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case ..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0x0F)])
        default: buffer.writeInteger(byte)
        }
    }
}

/// A JSON response written by `JSONOutput`.
func jsonResponse(_ value: some JSONBody, status: HTTPResponse.Status = .ok) -> Response {
    var json = JSONOutput()
    value.write(to: &json)
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: json.buffer))
}
