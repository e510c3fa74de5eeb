#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings as dense ids 0, 1, 2… in first-seen order.
///
/// Lookups take borrowed bytes and allocate nothing; the bytes of every id live in one
/// arena. Open addressing with linear probing, over a hash seeded per process so that
/// crafted ids cannot force collisions. A slot holds part of the hash, the key's length
/// and the key's first 8 bytes, so that a look-up of a key of up to 8 bytes reads one
/// cache line (usually) and never the arena.
///
/// ```swift
/// var members = Interner()
/// let (id, isNew) = members.intern(bytes)   // (0, true), then (0, false)
/// members.string(id)                        // the id as a String
/// ```
struct Interner {
    private var arena: [UInt8] = []
    /// `ends[id]`: where the bytes of `id` end in the arena (they start where `id - 1`'s end).
    private var ends: [Int] = []
    /// Two words per slot: bits 40–63 of the hash ‖ the length, at most 255 ‖ id + 1, so
    /// that most mismatches are seen in the slot (0 marks an empty slot); then the key's
    /// first 8 bytes, zero-padded (see ``head(_:)``).
    private var slots: [UInt64]
    /// The number of slots, less one.
    private var mask: Int

    /// Per process, so that crafted ids cannot be chosen to collide (also used by ``IntegerTable``).
    static let seed = UInt64.random(in: .min ... .max)

    init(capacity: Int = 16) {
        let size = max(16, (capacity * 2).nextPowerOfTwo)
        slots = [UInt64](hugePagesZeroed: 2 * size)
        mask = size - 1
        ends = [Int](hugePagesCapacity: capacity)
    }

    /// The number of ids.
    var count: Int { ends.count }

    /// The bytes of every key, in all.
    var byteCount: Int { ends.last ?? 0 }

    /// The id of `bytes`, if interned.
    func id(of bytes: UnsafeRawBufferPointer) -> Int32? {
        find(bytes, hash: Self.hash(bytes)).id
    }

    /// The id of `bytes`, interning them if new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, isNew: Bool) {
        let hash = Self.hash(bytes)
        let (found, slot) = find(bytes, hash: hash)
        if let found { return (found, false) }
        let id = ends.count
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        slots[2 * slot] = Self.slotValue(hash: hash, length: bytes.count, id: id)
        slots[2 * slot + 1] = Self.head(bytes)
        if ends.count * 2 > mask + 1 { grow() }
        return (Int32(id), true)
    }

    /// The slot where a look-up of `bytes` starts, for ``readSlots(_:)``.
    func slotIndex(of bytes: UnsafeRawBufferPointer) -> Int {
        Int(truncatingIfNeeded: Self.hash(bytes)) & mask
    }

    /// Reads the slots at `indexes` (from ``slotIndex(of:)``) in one loop of independent
    /// loads, so that their cache misses overlap: look-ups made next find them in the cache.
    /// Returns a checksum of what it read, which the caller must store in a class's property
    /// (which the optimiser cannot drop), or the reads go too.
    func readSlots(_ indexes: [Int]) -> UInt64 {
        slots.withUnsafeBufferPointer { slots in indexes.reduce(0) { $0 &+ slots[2 * $1] } }
    }

    /// The id of `bytes` if interned, else nil and the empty slot where it would go.
    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (id: Int32?, slot: Int) {
        let tag = Self.slotValue(hash: hash, length: bytes.count, id: -1)
        let head = Self.head(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[2 * slot] != 0 {
            if slots[2 * slot] & ~0xFFFF_FFFF == tag, slots[2 * slot + 1] == head {
                // Equal lengths and heads are equal keys up to 8 bytes; longer ones compare the rest.
                let id = Int(slots[2 * slot] & 0xFFFF_FFFF) - 1
                if bytes.count <= 8 || equalsPastHead(id, bytes) { return (Int32(id), slot) }
            }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    private static func slotValue(hash: UInt64, length: Int, id: Int) -> UInt64 {
        (hash >> 40) << 40 | UInt64(min(length, 255)) << 32 | UInt64(UInt32(truncatingIfNeeded: id + 1))
    }

    /// The first 8 bytes of `bytes` as an integer, zero-padded: keys of equal length up to
    /// 8 bytes are equal exactly when their heads are.
    private static func head(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count >= 8 { return bytes.loadUnaligned(as: UInt64.self) }
        var head: UInt64 = 0
        withUnsafeMutableBytes(of: &head) { $0.copyMemory(from: bytes) }
        return head
    }

    /// The id of `bytes`, interning them if new.
    mutating func intern(_ bytes: [UInt8]) -> (id: Int32, isNew: Bool) {
        bytes.withUnsafeBytes { intern($0) }
    }

    /// The id of `text`, interning it if new.
    mutating func intern(_ text: String) -> (id: Int32, isNew: Bool) {
        var text = text
        return text.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The id of `text`, if interned.
    func id(of text: String) -> Int32? {
        var text = text
        return text.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
    }

    /// Forgets every id; with `keepingCapacity`, keeps the memory for as many again.
    mutating func removeAll(keepingCapacity: Bool) {
        guard keepingCapacity else { return self = Interner() }
        arena.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// An interner of this one's first `count` ids, with the same ids.
    func prefix(_ count: Int) -> Interner {
        var result = Interner(capacity: count)
        for id in 0..<Int32(count) { withBytes(id) { _ = result.intern($0) } }
        return result
    }

    /// The bytes of `id` as a string (invalid UTF-8, which a stored record cannot hold,
    /// becomes an empty string).
    func string(_ id: Int32) -> String {
        withBytes(id) { UTF8Validation.string($0) ?? "" }
    }

    /// Calls `body` with the bytes of `id`.
    func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range(of: Int(id))])) }
    }

    private func range(of id: Int) -> Range<Int> { (id == 0 ? 0 : ends[id - 1])..<ends[id] }

    /// Whether `id`, whose first 8 bytes equal those of `bytes`, equals `bytes` (over 8 bytes long).
    private func equalsPastHead(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let range = range(of: id)
        guard range.count == bytes.count else { return false }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + range.lowerBound + 8, bytes.baseAddress! + 8, bytes.count - 8) == 0 }
    }

    private mutating func grow() {
        slots = [UInt64](hugePagesZeroed: slots.count * 2)
        mask = slots.count / 2 - 1
        for id in ends.indices {
            let (hash, length, head) = withBytes(Int32(id)) { (Self.hash($0), $0.count, Self.head($0)) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[2 * slot] != 0 { slot = (slot + 1) & mask }
            slots[2 * slot] = Self.slotValue(hash: hash, length: length, id: id)
            slots[2 * slot + 1] = head
        }
    }

    /// A seeded multiply-rotate hash over 8-byte words, finished with a 64-bit mixer.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash << 31) | (hash >> 33)
            index += 8
        }
        var tail: UInt64 = 0
        while index < bytes.count {
            tail = tail << 8 | UInt64(bytes[index])
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return mix(hash)
    }

    /// The finaliser of SplitMix64: every input bit affects every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Int {
    /// The smallest power of two at least `self` (1 for 0 and below).
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
