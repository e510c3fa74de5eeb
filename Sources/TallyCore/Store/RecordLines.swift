/// The NDJSON lines of a run of stored records, written one after another into one buffer:
/// what a thread of ``Ledger/exportLines(fromSeq:progress:_:)`` or ``Ledger/queryLines(_:_:)``
/// makes for the caller to hand on.
struct RecordLines {
    private let writer = JSONWriter(capacity: 1 << 16)
    /// Where each line ends in `writer`.
    private var ends: [Int] = []
    /// What ended the run early: a damaged record or a storage error, after the lines before it.
    var failure: (any Error)?
    /// The records of the run left unread when the lines reached their size limit.
    var unread: RecordRun?

    /// The bytes of every line, in all.
    var byteCount: Int { writer.count }

    /// Appends the line of the record at `seq`. A damaged record throws, and adds no line.
    mutating func append(_ record: UnsafeRawBufferPointer, seq: UInt64) throws(LedgerError) {
        do { try EventRecord.writeJSONLine(record, into: writer) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
        ends.append(writer.count)
    }

    /// Calls `body` with each of the first `limit` lines (no newline), in order, and throws
    /// the failure when no line was left out. Returns the number of lines handed on.
    func forEach(limit: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let handed = min(limit, ends.count)
        try writer.withUnsafeBytes { bytes in
            var start = 0
            for end in ends.prefix(handed) {
                try body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
        if let failure, handed == ends.count { throw failure }
        return handed
    }
}
