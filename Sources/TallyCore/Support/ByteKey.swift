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
    /// orders keys). Ranks and names are computed once, and only positions move while sorting.
    func sorted(byBytesOf name: (Element) -> String, after rank: (Element) -> Int64 = { _ in 0 }) -> [Element] {
        let elements = Array(self)
        let ranks = elements.map(rank), keys = elements.map { ByteKey(name($0)) }
        return elements.indices
            .sorted { ranks[$0] != ranks[$1] ? ranks[$0] < ranks[$1] : keys[$0] < keys[$1] }
            .map { elements[$0] }
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
