internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `tally stats` reports.
public struct LedgerStats: Sendable {
    /// The number of events, which is also the last `seq`.
    public var events: UInt64
    /// Events per type, every type of the catalog included.
    public var byType: [(type: EventType, count: Int)]
    /// The size of `data.mdb` in bytes.
    public var fileBytes: Int
    /// The bytes of pages in use.
    public var usedBytes: Int
    /// The number of distinct actors.
    public var actors: Int
    /// The chain hash of the last event, hex.
    public var head: String
    /// Whether the stored projections are current, so that reports under their rules read
    /// them instead of replaying the log (see ``Ledger/projectionsAreCurrent()``).
    public var projectionsAreCurrent: Bool
    /// The rules the stored projections are kept under: the built-in ones unless the ledger
    /// adopted others (see ``Ledger/projectionRules()``).
    public var projectionRules: Rules
}

extension Ledger {
    /// Counts events by type (from the type index) and reports sizes.
    public func stats() throws -> LedgerStats {
        let current = try projectionsAreCurrent(), projectionRules = try projectionRules()
        return try read { txn in
            var counts: [UInt8: Int] = [:]
            try txn.withCursor(schema.postings[.type]!) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    let code = try PostingIndex.indexKey(ofBlockKey: key).first ?? 0
                    var reader = ByteReader(value)
                    counts[code, default: 0] += Int(try reader.varint())
                    entry = try cursor.next()
                }
            }
            var actors = 0
            try txn.withCursor(schema.postings[.actor]!) { cursor in
                var entry = try cursor.first()
                var previous: [UInt8] = []
                while let (key, _) = entry {
                    let actor = try PostingIndex.indexKey(ofBlockKey: key)
                    if !actor.elementsEqual(previous) { actors += 1; previous = Array(actor) }
                    entry = try cursor.next()
                }
            }
            let (events, head): (UInt64, String) = try txn.withCursor(schema.events) { cursor in
                guard let (key, value) = try cursor.last() else { return (0, Hex.encode(EventRecord.zeroHash)) }
                return (ByteReader.uint64(key) ?? 0, Hex.encode(try EventRecord.hash(of: value)))
            }
            var info = stat()
            let fileBytes = stat(path + "/data.mdb", &info) == 0 ? Int(info.st_size) : 0
            let env = try environment.info()
            return LedgerStats(
                events: events,
                byType: EventType.allCases.map { ($0, counts[$0.code] ?? 0) },
                fileBytes: fileBytes, usedBytes: env.pagesUsed * env.pageSize, actors: actors, head: head,
                projectionsAreCurrent: current, projectionRules: projectionRules)
        }
    }
}
