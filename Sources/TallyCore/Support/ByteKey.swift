/// Bytes used as a dictionary key: hashed in bulk and ordered bytewise, as LMDB orders keys.
struct ByteKey: Hashable, Comparable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { self.bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func < (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.bytes.withUnsafeBytes { a in
            rhs.bytes.withUnsafeBytes { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
    }
}

extension Sequence {
    /// The elements ordered by `rank`, ties broken by the UTF-8 bytes of `name` (as LMDB
    /// orders keys). Ranks and names are computed once, and only positions move while sorting;
    /// names' first 8 bytes settle most comparisons as one integer.
    func sorted(byBytesOf name: (Element) -> String, after rank: (Element) -> Int64 = { _ in 0 }) -> [Element] {
        let elements = Array(self)
        let keys = elements.map { ByteKey(name($0)) }
        let order = elements.indices.map { index in
            var prefix: UInt64 = 0
            for byte in keys[index].bytes.prefix(8) { prefix = prefix << 8 | UInt64(byte) }
            prefix <<= 8 * UInt64(8 - Swift.min(8, keys[index].bytes.count))
            return (rank: rank(elements[index]), prefix: prefix, index: index)
        }
        return order.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return keys[a.index] < keys[b.index]
        }.map { elements[$0.index] }
    }
}

extension UnsafeRawBufferPointer {
    /// Bytewise equality, by `memcmp`.
    func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
