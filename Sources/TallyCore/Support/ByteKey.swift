/// Bytes used as a dictionary key, hashed in bulk.
struct ByteKey: Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension Sequence {
    /// The elements ordered by `rank`, ties broken by the UTF-8 bytes of `name` (as LMDB
    /// orders keys). Ranks and names are computed once, the names' bytes into one arena, and
    /// only positions move while sorting; names' first 8 bytes settle most comparisons as
    /// one integer.
    func sorted(byBytesOf name: (Element) -> String, after rank: (Element) -> Int64 = { _ in 0 }) -> [Element] {
        let elements = Array(self)
        var arena: [UInt8] = []
        var places: [NamePlace] = []
        places.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let start = arena.count
            arena.append(contentsOf: name(element).utf8)
            var prefix: UInt64 = 0
            for offset in 0..<8 { prefix = prefix << 8 | UInt64(start + offset < arena.count ? arena[start + offset] : 0) }
            places.append(NamePlace(rank: rank(element), prefix: prefix, start: start, count: arena.count - start, index: index))
        }
        arena.withUnsafeBytes { arena in
            places.sort { a, b in
                if a.rank != b.rank { return a.rank < b.rank }
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let common = Swift.min(a.count, b.count)
                let order = common > 8 ? memcmp(arena.baseAddress! + a.start + 8, arena.baseAddress! + b.start + 8, common - 8) : 0
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
        return places.map { elements[$0.index] }
    }
}

/// Where ``Swift/Sequence/sorted(byBytesOf:after:)`` keeps an element while sorting.
private struct NamePlace {
    var rank: Int64
    /// The name's first 8 bytes, big-endian and zero-padded.
    var prefix: UInt64
    /// Where the name's bytes are in the arena.
    var start: Int
    var count: Int
    /// The element's position before sorting.
    var index: Int
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
