import TallyCore
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output, standard error, progress lines and failure reporting.
enum Console {
    private nonisolated(unsafe) static var buffer: [UInt8] = {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        return bytes
    }()

    /// Appends bytes to standard output, writing them out in 64 KiB chunks.
    static func write(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes bytes and a newline to standard output.
    static func writeLine(_ bytes: UnsafeRawBufferPointer) {
        write(bytes)
        buffer.append(0x0A)
    }

    /// Writes a line of text to standard output.
    static func print(_ text: String) {
        var text = text
        text.withUTF8 { writeLine(UnsafeRawBufferPointer($0)) }
    }

    /// Writes one JSON value and a newline.
    static func print(json value: JSONValue) {
        print { $0.write(value) }
    }

    /// Writes the JSON that `body` writes, and a newline.
    static func print(json body: (JSONWriter) -> Void) {
        let writer = JSONWriter()
        body(writer)
        writer.withUnsafeBytes(writeLine)
    }

    static func flush() {
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        writeAll(2, Array((text + "\n").utf8))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let written = Glibc.write(fd, all.baseAddress! + offset, all.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Whether standard error is a terminal: a person is watching.
    static var errorIsTerminal: Bool { isatty(2) == 1 }

    /// Runs `body` with a progress reporter that rewrites one line on standard error, or
    /// with nil when standard error is not a terminal or `quiet` (JSON was asked for, say).
    /// The line is cleared afterwards.
    static func withProgress<R>(quiet: Bool, _ body: (((String) -> Void)?) throws -> R) rethrows -> R {
        guard !quiet, errorIsTerminal else { return try body(nil) }
        defer { writeAll(2, Array("\r\u{1B}[K".utf8)) }
        return try body { text in writeAll(2, Array(("\r\u{1B}[K" + text).utf8)) }
    }

    /// Prints report rows: a JSON array, CSV (a header, then a line per row), or a text
    /// header and one text line per row. The header is made only for text.
    static func print<Row: CSVRow>(_ rows: [Row], as format: OutputFormat, header: @autoclosure () -> String? = nil, line: (Row) -> String) {
        switch format {
        case .csv: print(csv: rows)
        case .json: print(json: rows)
        case .text:
            if let header = header() { print(header) }
            for row in rows { print(line(row)) }
        }
    }

    /// Prints rows as CSV: the header, then a line per row.
    static func print<Row: CSVRow>(csv rows: [Row]) {
        print(Row.csvHeader)
        for row in rows { print(row.csvLine) }
    }

    /// Prints rows as one JSON array, written row by row: a large report is never held whole.
    private static func print<Row: JSONRepresentable>(json rows: [Row]) {
        let writer = JSONWriter(capacity: 1 << 17)
        writer.writeArray(rows) { writer, row in
            row.write(to: writer)
            if writer.count >= 1 << 16 {
                writer.withUnsafeBytes(write)
                writer.removeAll()
            }
        }
        writer.withUnsafeBytes(writeLine)
    }

    /// Runs `body`, printing any ledger error as `tally: …` on standard error and exiting 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
            flush()
        } catch let error as ExitCode {
            flush()
            throw error
        } catch let error as ValidationError {
            flush()
            throw error
        } catch let refusal as Refusal {
            flush()
            Console.error("tally: refused: \(refusal)")
            throw ExitCode(1)
        } catch let error as LedgerError {
            flush()
            Console.error("tally: \(error)")
            throw ExitCode(1)
        } catch {
            flush()
            Console.error("tally: \(error)")
            throw ExitCode(1)
        }
    }
}

/// A request the ledger cannot answer as asked (a tier the rules do not have, say): printed
/// as `tally: …`, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}
