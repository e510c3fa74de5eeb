/// A hash table from 64-bit keys to values, with open addressing and linear probing:
/// no per-entry allocation, a cheap seeded hash, and each key stored beside its value so
/// that a probe touches one cache line. For the projector's hot tables (keys such as member id ‖
/// day). Entries are never removed, only emptied all at once.
///
/// A slot is its key plus one (0 marks an empty slot) and a value, without an optional's
/// tag byte: a day's credits take 24 bytes rather than 32, and a replay's largest table
/// a quarter less memory to zero and to miss in. Values must be valid as all-zero bytes
/// (structs of integers and booleans are), which an empty slot holds; `UInt64.max` is not
/// a key (the tables' keys are two non-negative 32-bit ids).
struct IntegerTable<Value: BitwiseCopyable> {
    private struct Slot {
        /// The key plus one; 0 for an empty slot.
        var storedKey: UInt64
        var value: Value
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        let size = max(16, (capacity * 2).nextPowerOfTwo)
        slots = [Slot](hugePagesZeroed: size)
        mask = size - 1
    }

    /// The value under `key`; setting `nil` is not supported (entries are not removed).
    subscript(key: UInt64) -> Value? {
        get {
            guard key != .max else { return nil }
            var index = Self.index(key, mask)
            while slots[index].storedKey != 0 {
                if slots[index].storedKey == key &+ 1 { return slots[index].value }
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
        precondition(key != .max, "UInt64.max is not a key of an IntegerTable")
        var index = Self.index(key, mask)
        while slots[index].storedKey != 0 {
            if slots[index].storedKey == key &+ 1 { return body(&slots[index].value) }
            index = (index + 1) & mask
        }
        var value = initial()
        let result = body(&value)
        slots[index] = Slot(storedKey: key &+ 1, value: value)
        count += 1
        if count * 2 > slots.count { grow() }
        return result
    }

    /// The slot where a look-up of `key` starts, for ``readSlots(_:)``.
    func slotIndex(of key: UInt64) -> Int { Self.index(key, mask) }

    /// Reads the slots at `indexes` at once, as ``Interner/readSlots(_:)`` does, and returns
    /// a checksum of their keys to keep.
    func readSlots(_ indexes: [Int]) -> UInt64 {
        slots.withUnsafeBufferPointer { slots in indexes.reduce(0) { $0 &+ slots[$1].storedKey } }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (UInt64, Value) throws -> Void) rethrows {
        for slot in slots where slot.storedKey != 0 { try body(slot.storedKey &- 1, slot.value) }
    }

    mutating func removeAll() { self = IntegerTable() }

    private static func index(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: Interner.mix(key ^ Interner.seed)) & mask }

    private mutating func grow() {
        var larger = IntegerTable(capacity: slots.count)
        forEach { key, value in larger.update(key, default: value) { _ in } }
        self = larger
    }
}
