/// Feeds every key and value a `Codable` value encodes into one `StableHash`: a catalog record's
/// hash changes when any of its fields does, without a hand-written list of fields to forget one of.
final class StableHashEncoder: Encoder {
    final class State {
        var hash = StableHash()
    }

    let state: State
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(state: State = State()) { self.state = state }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        state.hash.combine(0x6b65_7965_64)
        return KeyedEncodingContainer(Keyed<Key>(state: state))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        state.hash.combine(0x756e_6b65_7965_64)
        return Unkeyed(state: state)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(state: state) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let state: State
        var codingPath: [any CodingKey] = []

        mutating func encodeNil(forKey key: Key) throws {
            state.hash.combine(key.stringValue)
            state.hash.combine(0)
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            state.hash.combine(key.stringValue)
            var single = Single(state: state)
            try single.encode(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            state.hash.combine(key.stringValue)
            return StableHashEncoder(state: state).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            state.hash.combine(key.stringValue)
            return StableHashEncoder(state: state).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { StableHashEncoder(state: state) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { StableHashEncoder(state: state) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let state: State
        var codingPath: [any CodingKey] = []
        var count = 0

        mutating func encodeNil() throws {
            count += 1
            state.hash.combine(0)
        }

        mutating func encode<T: Encodable>(_ value: T) throws {
            count += 1
            var single = Single(state: state)
            try single.encode(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            count += 1
            return StableHashEncoder(state: state).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            count += 1
            return StableHashEncoder(state: state).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { StableHashEncoder(state: state) }
    }

    struct Single: SingleValueEncodingContainer {
        let state: State
        var codingPath: [any CodingKey] = []

        mutating func encodeNil() throws { state.hash.combine(0) }
        mutating func encode(_ value: Bool) throws { state.hash.combine(value) }
        mutating func encode(_ value: String) throws { state.hash.combine(value) }
        mutating func encode(_ value: Double) throws { state.hash.combine(value.bitPattern) }
        mutating func encode(_ value: Float) throws { state.hash.combine(UInt64(value.bitPattern)) }
        mutating func encode(_ value: Int) throws { state.hash.combine(value) }
        mutating func encode(_ value: Int8) throws { state.hash.combine(Int(value)) }
        mutating func encode(_ value: Int16) throws { state.hash.combine(Int(value)) }
        mutating func encode(_ value: Int32) throws { state.hash.combine(Int(value)) }
        mutating func encode(_ value: Int64) throws { state.hash.combine(Int(value)) }
        mutating func encode(_ value: UInt) throws { state.hash.combine(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { state.hash.combine(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { state.hash.combine(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { state.hash.combine(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { state.hash.combine(value) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            switch value {
            case let text as String: state.hash.combine(text)
            case let number as Int: state.hash.combine(number)
            case let flag as Bool: state.hash.combine(flag)
            default: try value.encode(to: StableHashEncoder(state: state))
            }
        }
    }
}
