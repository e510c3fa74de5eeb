extension Sequence {
    /// The elements ordered by `rank`, ties broken by the UTF-8 bytes of `name` (as LMDB
    /// orders keys). Ranks and names are computed once, the names' bytes into one arena, and
    /// only positions move while sorting.
    func sorted(byBytesOf name: (Element) -> String, after rank: (Element) -> Int64 = { _ in 0 }) -> [Element] {
        let elements = Array(self)
        var arena: [UInt8] = []
        var places: [(rank: Int64, names: Range<Int>, index: Int)] = []
        places.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let start = arena.count
            arena.append(contentsOf: name(element).utf8)
            places.append((rank(element), start..<arena.count, index))
        }
        arena.withUnsafeBytes { arena in
            places.sort { a, b in
                a.rank != b.rank ? a.rank < b.rank
                    : UnsafeRawBufferPointer(rebasing: arena[a.names]).keyOrder(comparedTo: UnsafeRawBufferPointer(rebasing: arena[b.names])) < 0
            }
        }
        return places.map { elements[$0.index] }
    }
}

extension UnsafeRawBufferPointer {
    /// Bytewise equality: short runs (field names, most ids) compared in place, longer ones
    /// by `memcmp`.
    func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 16 else { return indices.allSatisfy { self[$0] == other[$0] } }
        return memcmp(baseAddress!, other.baseAddress!, count) == 0
    }

    /// How these bytes compare with `other` as LMDB orders keys: by `memcmp` over the
    /// shorter, then the shorter first. Negative, zero or positive.
    func keyOrder(comparedTo other: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(count, other.count)
        let order = common == 0 ? 0 : Int(memcmp(baseAddress!, other.baseAddress!, common))
        return order != 0 ? order : count - other.count
    }

    /// The first 8 bytes, big-endian and zero-padded: where two prefixes differ, they order
    /// their keys as ``keyOrder(comparedTo:)`` does, as one integer comparison.
    var keyPrefix: UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<8 { prefix = prefix << 8 | UInt64(index < count ? self[index] : 0) }
        return prefix
    }
}

extension String {
    /// Whether the two strings have the same UTF-8 bytes: ids and answers compare so, where
    /// `==` would also take canonically equivalent strings as equal (see ``ExactString``).
    public func isExactly(_ other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Whether this string's UTF-8 bytes come before `other`'s, as LMDB orders keys.
    func precedesInKeyOrder(_ other: String) -> Bool {
        var (a, b) = (self, other)
        return a.withUTF8 { x in b.withUTF8 { y in UnsafeRawBufferPointer(x).keyOrder(comparedTo: UnsafeRawBufferPointer(y)) < 0 } }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
