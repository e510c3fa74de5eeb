internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The counts of an import (CONTRACT.md section 6).
public struct ImportReport: Sendable, Equatable {
    public var appended = 0
    public var duplicates = 0
    public var rejected = 0
    /// The ledger's last `seq` after the import.
    public var lastSeq: UInt64 = 0
}

/// How far an import has got, for progress displays.
public struct ImportProgress: Sendable {
    /// Lines read so far.
    public var lines: Int
    /// Bytes read so far.
    public var bytes: Int
}

extension Ledger {
    /// Appends the NDJSON events read from `fd`, in one transaction.
    ///
    /// Without `skipInvalid` the import is atomic: the first refused line throws and the
    /// ledger is left exactly as it was. With it, refused lines are passed to `onRejected`
    /// and the valid events are appended. Lines are parsed and validated on a second
    /// thread (``ParsedLines``) while the events before them are appended.
    ///
    /// With `dryRun`, the import does everything and reports what it would have done, then
    /// aborts its transaction: nothing is written.
    /// - Parameters:
    ///   - name: the input's name for messages (a path, or `-`).
    ///   - dryRun: report what the import would do, and write nothing.
    ///   - progress: called about every 65,536 lines.
    /// - Throws: ``LedgerError`` naming the line, the field and the reason.
    public func importNDJSON(
        fd: Int32, name: String, skipInvalid: Bool = false, dryRun: Bool = false,
        onRejected: (Int, LedgerError) -> Void = { _, _ in },
        progress: ((ImportProgress) -> Void)? = nil
    ) throws -> ImportReport {
        var attempt = 0
        func importing(_ txn: borrowing Transaction) throws -> ImportReport {
            if attempt > 0, lseek(fd, 0, SEEK_SET) != 0 {
                throw LedgerError.io(path: name, reason: "the ledger map had to grow and the input cannot be read again; import from a file")
            }
            attempt += 1
            var report = ImportReport()
            let session = try AppendSession(
                schema: schema, txn, storedRules: try storedRules(txn), pages: PageReleaser(pages: environment.mappedPages()),
                expectedEvents: Self.expectedEvents(in: fd))
            let lines = ParsedLines(fd: fd, name: name, recorded: session.recorded)
            defer { lines.close() }
            var linesRead = 0
            while let chunk = try lines.next() {
                try txn.withCursor(schema.events) { events in
                    for line in chunk.lines {
                        let refusal: Refusal
                        do {
                            switch try session.append(try line.parsed.get(), txn, through: events) {
                            case .appended: report.appended += 1
                            case .duplicate: report.duplicates += 1
                            }
                            continue
                        } catch let error as Refusal {
                            refusal = error
                        }
                        // Anything else (storage errors, a full map) propagates unchanged.
                        let failure = LedgerError.refused(line: line.number, refusal)
                        guard skipInvalid else { throw failure }
                        report.rejected += 1
                        onRejected(line.number, failure)
                    }
                }
                if chunk.lastLineNumber >> 16 > linesRead >> 16, let progress {
                    progress(ImportProgress(lines: chunk.lastLineNumber, bytes: chunk.bytesRead))
                }
                linesRead = chunk.lastLineNumber
            }
            try session.finish(txn)
            report.lastSeq = session.lastSeq
            return report
        }
        if dryRun { return try rehearse(importing) }
        return try write(importing)
    }

    /// About how many events the input holds: its size over a small event's, or a million
    /// when it is not a regular file.
    private static func expectedEvents(in fd: Int32) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return 1_000_000 }
        return Int(info.st_size) / 128 + 1
    }
}
