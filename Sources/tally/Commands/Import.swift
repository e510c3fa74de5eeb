import ArgumentParser
import TallyCore

#if canImport(Glibc)
import Glibc
#endif

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append the events of an NDJSON file (or - for standard input), atomically.",
        discussion: """
            Either every event of the file is appended, or, at the first refused line, none is. With \
            --skip-invalid the valid events are appended and the refused lines reported on standard error. \
            With --dry-run the file is checked against the ledger (an empty one when there is none yet) \
            and the counts are those the import would give, but nothing is written.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The NDJSON file, or - for standard input.")
    var file: String

    @Flag(help: "Append the valid events and report the refused lines.")
    var skipInvalid = false

    @Flag(help: "Check the file and report what the import would do; write nothing.")
    var dryRun = false

    func validate() throws {
        if file.isEmpty { throw ValidationError("the input file's path is empty (- reads standard input)") }
    }

    func run() throws {
        try Console.run {
            let fd = file == "-" ? 0 : open(file, O_RDONLY)
            guard fd >= 0 else { throw LedgerError.io(path: file, reason: String(cString: strerror(errno))) }
            defer { if fd != 0 { close(fd) } }
            var info = stat()
            let total = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
            let report = try Console.withProgress(quiet: output.json) { show in
                try withLedger { try $0.importNDJSON(
                    fd: fd, name: file, skipInvalid: skipInvalid, dryRun: dryRun,
                    onRejected: { _, error in Console.error("tally: \(error)") },
                    progress: show.map { show in { progress in
                        let percent = total > 0 ? " (\(progress.bytes * 100 / total)%)" : ""
                        show("\(dryRun ? "checking" : "importing"): \(progress.lines) lines\(percent)")
                    } }) }
            }
            if output.json {
                Console.print(json: .object(JSONObject([
                    ("appended", .integer(Int64(report.appended))), ("duplicates", .integer(Int64(report.duplicates))),
                    ("rejected", .integer(Int64(report.rejected))), ("last_seq", .integer(Int64(report.lastSeq))),
                ])))
            } else {
                let verb = dryRun ? "would append" : "appended"
                Console.print("\(verb) \(report.appended), duplicates \(report.duplicates), rejected \(report.rejected), last seq \(report.lastSeq)")
            }
        }
    }

    /// Calls `body` with the ledger, created if need be; a dry run where there is no ledger
    /// yet checks against an empty one in a temporary directory, removed afterwards.
    private func withLedger<R>(_ body: (Ledger) throws -> R) throws -> R {
        guard dryRun, access(ledger.path, F_OK) != 0 else { return try body(try ledger.open(create: true)) }
        let temporary = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(temporary)/tally-dry-run-XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template).map({ String(cString: $0) }) else {
            throw LedgerError.io(path: temporary, reason: String(cString: strerror(errno)))
        }
        defer {
            for file in ["data.mdb", "lock.mdb"] { unlink(directory + "/" + file) }
            rmdir(directory)
        }
        return try body(try Ledger(path: directory, options: Ledger.Options(create: true, noSync: true)))
    }
}
