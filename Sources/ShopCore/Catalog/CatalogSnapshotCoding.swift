/// Appends `CatalogSnapshot`'s encoding of values to bytes.
struct SnapshotWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 20) }

    mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    /// LEB128 of the zigzag encoding: small numbers of either sign take one byte.
    mutating func int(_ value: Int) { unsigned(UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func string(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func strings(_ values: String...) { for value in values { string(value) } }

    mutating func list(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func money(_ value: Money) {
        int(Int(value.amount))
        string(value.currency.code)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout SnapshotWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func sale(_ value: Sale?) {
        optional(value) { out, sale in
            out.money(sale.price)
            out.strings(sale.starts, sale.ends)
        }
    }
}

/// Reads what `SnapshotWriter` wrote; any value it cannot read throws `Malformed`.
struct SnapshotReader {
    struct Malformed: Error {}

    private let buffer: UnsafeBufferPointer<UInt8>
    private var offset = 0
    /// The last currency read: prices repeat the shop's, looked up once.
    private var currency: Currency?

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var isAtEnd: Bool { offset == buffer.count }

    mutating func unsigned() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count, shift < 64 {
            let byte = buffer[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Malformed()
    }

    mutating func int() throws(Malformed) -> Int {
        let raw = try unsigned()
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    mutating func count() throws(Malformed) -> Int {
        let value = try unsigned()
        guard value <= UInt64(buffer.count - offset) else { throw Malformed() }
        return Int(value)
    }

    mutating func string() throws(Malformed) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
    }

    mutating func list() throws(Malformed) -> [String] {
        try array { input throws(Malformed) in try input.string() }
    }

    mutating func bool() throws(Malformed) -> Bool {
        guard offset < buffer.count, buffer[offset] <= 1 else { throw Malformed() }
        defer { offset += 1 }
        return buffer[offset] == 1
    }

    mutating func raw<T: RawRepresentable>(_ type: T.Type) throws(Malformed) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw Malformed() }
        return value
    }

    mutating func money() throws(Malformed) -> Money {
        let amount = Int64(try int())
        let code = try string()
        if let currency, currency.code == code { return Money(amount: amount, currency: currency) }
        guard let found = Currency(code: code) else { throw Malformed() }
        currency = found
        return Money(amount: amount, currency: found)
    }

    mutating func optional<T>(_ read: (inout SnapshotReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func array<T>(_ read: (inout SnapshotReader) throws(Malformed) -> T) throws(Malformed) -> [T] {
        let count = try count()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    mutating func sale() throws(Malformed) -> Sale? {
        try optional { input throws(Malformed) in Sale(price: try input.money(), starts: try input.string(), ends: try input.string()) }
    }
}
