#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Interner {
    /// The place of every id when all are sorted by their length-prefixed (LEB128) bytes,
    /// the form they take in stored keys: `ranks[id]`. Keys made of interned ids then sort
    /// as integers built from these ranks.
    func keyOrderRanks() -> [UInt32] {
        // The first 16 bytes of each encoding, big-endian and zero-padded, decide nearly every
        // comparison; whole encodings break the rest.
        var entries = (0..<Int32(count)).map { id in
            withBytes(id) { bytes in
                var prefix = (UInt64(0), UInt64(0))
                withUnsafeMutableBytes(of: &prefix) { prefix in
                    let (varint, varintLength) = Self.leftAlignedVarint(bytes.count)
                    for index in 0..<min(16, varintLength + bytes.count) {
                        prefix[index] = index < varintLength ? UInt8(truncatingIfNeeded: varint >> (56 - 8 * index)) : bytes[index - varintLength]
                    }
                }
                return (high: UInt64(bigEndian: prefix.0), low: UInt64(bigEndian: prefix.1), id: id)
            }
        }
        entries.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return withBytes(a.id) { left in withBytes(b.id) { right in Self.lengthPrefixedPrecedes(left, right) } }
        }
        var ranks = [UInt32](repeating: 0, count: count)
        for (rank, entry) in entries.enumerated() { ranks[Int(entry.id)] = UInt32(rank) }
        return ranks
    }

    /// The ids in the order of their ranks: the inverse of `ranks`, from ``keyOrderRanks()``.
    static func ids(byRank ranks: [UInt32]) -> [Int32] {
        var ids = [Int32](repeating: 0, count: ranks.count)
        for (id, rank) in ranks.enumerated() { ids[Int(rank)] = Int32(id) }
        return ids
    }

    /// Whether the length-prefixed encoding of `left` sorts before that of `right`.
    static func lengthPrefixedPrecedes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        // LEB128 is prefix-free: differing lengths are ordered by their first differing byte.
        guard left.count == right.count else { return leftAlignedVarint(left.count).packed < leftAlignedVarint(right.count).packed }
        return left.count > 0 && memcmp(left.baseAddress!, right.baseAddress!, left.count) < 0
    }

    /// The LEB128 bytes of `length` packed from the top of a word, first byte highest, and
    /// how many there are.
    private static func leftAlignedVarint(_ length: Int) -> (packed: UInt64, count: Int) {
        var value = UInt64(length), packed: UInt64 = 0, count = 0
        repeat {
            let byte = value & 0x7F | (value >= 0x80 ? 0x80 : 0)
            packed |= byte << UInt64(56 - 8 * count)
            value >>= 7
            count += 1
        } while value > 0
        return (packed, count)
    }
}
