/// A hash table from 64-bit keys to values, with open addressing and linear probing:
/// no per-entry allocation and a cheap hash, for the projector's hot tables (keys such as
/// member id ‖ day). Entries are never removed, only emptied all at once.
struct IntegerTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    private static var seed: UInt64 { Interner.mix(0x2545_F491_4F6C_DD1D) }

    init(capacity: Int = 16) {
        let size = max(16, (capacity * 2).nextPowerOfTwo)
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    /// The value under `key`; setting `nil` is not supported (entries are not removed).
    subscript(key: UInt64) -> Value? {
        get {
            var slot = Self.slot(key, mask)
            while values[slot] != nil {
                if keys[slot] == key { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { preconditionFailure("IntegerTable does not remove entries") }
            update(key, default: newValue) { $0 = newValue }
        }
    }

    /// Calls `body` with the value under `key`, inserting `initial` first when absent.
    @discardableResult
    mutating func update<R>(_ key: UInt64, default initial: @autoclosure () -> Value, _ body: (inout Value) -> R) -> R {
        var slot = Self.slot(key, mask)
        while values[slot] != nil {
            if keys[slot] == key { return body(&values[slot]!) }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        var value = initial()
        let result = body(&value)
        values[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
        return result
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (UInt64, Value) throws -> Void) rethrows {
        for slot in keys.indices { if let value = values[slot] { try body(keys[slot], value) } }
    }

    mutating func removeAll() { self = IntegerTable() }

    private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: Interner.mix(key ^ seed)) & mask }

    private mutating func grow() {
        var larger = IntegerTable(capacity: keys.count)
        forEach { key, value in larger.update(key, default: value) { _ in } }
        self = larger
    }
}
