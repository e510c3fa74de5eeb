/// A hash table from 64-bit keys to values, with open addressing and linear probing:
/// no per-entry allocation, a cheap seeded hash, and each key stored beside its value so
/// that a probe touches one cache line. For the projector's hot tables (keys such as member id ‖
/// day). Entries are never removed, only emptied all at once.
struct IntegerTable<Value> {
    private struct Slot {
        var key: UInt64
        var value: Value?
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        let size = max(16, (capacity * 2).nextPowerOfTwo)
        slots = [Slot](hugePagesRepeating: Slot(key: 0, value: nil), count: size)
        mask = size - 1
    }

    /// The value under `key`; setting `nil` is not supported (entries are not removed).
    subscript(key: UInt64) -> Value? {
        get {
            var index = Self.index(key, mask)
            while let value = slots[index].value {
                if slots[index].key == key { return value }
                index = (index + 1) & mask
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
        var index = Self.index(key, mask)
        while slots[index].value != nil {
            if slots[index].key == key { return body(&slots[index].value!) }
            index = (index + 1) & mask
        }
        var value = initial()
        let result = body(&value)
        slots[index] = Slot(key: key, value: value)
        count += 1
        if count * 2 > slots.count { grow() }
        return result
    }

    /// The slot where a look-up of `key` starts, for ``readSlots(_:)``.
    func slotIndex(of key: UInt64) -> Int { Self.index(key, mask) }

    /// Reads the slots at `indexes` at once, as ``Interner/readSlots(_:)`` does, and returns
    /// a checksum of their keys to keep.
    func readSlots(_ indexes: [Int]) -> UInt64 {
        slots.withUnsafeBufferPointer { slots in indexes.reduce(0) { $0 &+ slots[$1].key } }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (UInt64, Value) throws -> Void) rethrows {
        for slot in slots { if let value = slot.value { try body(slot.key, value) } }
    }

    mutating func removeAll() { self = IntegerTable() }

    /// Empties the table, keeping its size (for a table that fills up again as much).
    mutating func removeAll(keepingCapacity: Bool) {
        guard keepingCapacity else { return removeAll() }
        for index in slots.indices { slots[index].value = nil }
        count = 0
    }

    private static func index(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: Interner.mix(key ^ Interner.seed)) & mask }

    private mutating func grow() {
        var larger = IntegerTable(capacity: slots.count)
        forEach { key, value in larger.update(key, default: value) { _ in } }
        self = larger
    }
}
