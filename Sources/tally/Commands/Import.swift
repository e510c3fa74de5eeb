import ArgumentParser
import TallyCore

#if canImport(Glibc)
import Glibc
#endif

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append the events of an NDJSON file (or - for standard input), atomically.",
        discussion: "Either every event of the file is appended, or, at the first refused line, none is. With --skip-invalid the valid events are appended and the refused lines reported on standard error.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The NDJSON file, or - for standard input.")
    var file: String

    @Flag(help: "Append the valid events and report the refused lines.")
    var skipInvalid = false

    func run() throws {
        try Console.run {
            let fd = file == "-" ? 0 : open(file, O_RDONLY)
            guard fd >= 0 else { throw LedgerError.io(path: file, reason: String(cString: strerror(errno))) }
            defer { if fd != 0 { close(fd) } }
            var info = stat()
            let total = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
            let report = try Console.withProgress(quiet: output.json) { show in
                try ledger.open(create: true).importNDJSON(
                    fd: fd, name: file, skipInvalid: skipInvalid,
                    onRejected: { _, error in Console.error("tally: \(error)") },
                    progress: show.map { show in { progress in
                        let percent = total > 0 ? " (\(progress.bytes * 100 / total)%)" : ""
                        show("importing: \(progress.lines) lines\(percent)")
                    } })
            }
            if output.json {
                Console.print(json: .object(JSONObject([
                    ("appended", .integer(Int64(report.appended))), ("duplicates", .integer(Int64(report.duplicates))),
                    ("rejected", .integer(Int64(report.rejected))), ("last_seq", .integer(Int64(report.lastSeq))),
                ])))
            } else {
                Console.print("appended \(report.appended), duplicates \(report.duplicates), rejected \(report.rejected), last seq \(report.lastSeq)")
            }
        }
    }
}
