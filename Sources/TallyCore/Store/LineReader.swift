#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the lines of a file descriptor without holding the file in memory.
///
/// Lines end at `\n`; a trailing `\r` is dropped. Memory use is bounded by the buffer and
/// the longest line, which may be at most ``maxLineBytes``.
struct LineReader {
    static let maxLineBytes = 256 << 20

    private let fd: Int32
    private let name: String
    private var bytesRead = 0

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    /// Calls `body` with each line's 1-based number, its bytes (valid only during the call)
    /// and the count of bytes read from the input so far.
    mutating func forEachLine(_ body: (Int, UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 22)
        var filled = 0
        var lineNumber = 0
        var atEOF = false
        while !atEOF {
            if filled == buffer.count {
                guard buffer.count < Self.maxLineBytes else {
                    throw LedgerError.io(path: name, reason: "line \(lineNumber + 1) is longer than \(Self.maxLineBytes >> 20) MiB")
                }
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LedgerError.io(path: name, reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEOF = true }
            filled += count
            bytesRead += count
            var consumed = 0
            try buffer.withUnsafeBytes { all in
                while consumed < filled {
                    let rest = UnsafeRawBufferPointer(rebasing: all[consumed..<filled])
                    var end: Int
                    if let newline = memchr(rest.baseAddress!, 0x0A, rest.count) {
                        end = rest.baseAddress!.distance(to: newline)
                    } else if atEOF {
                        end = rest.count
                    } else {
                        break
                    }
                    let next = consumed + end + 1
                    if end > 0, rest[end - 1] == 0x0D { end -= 1 }
                    lineNumber += 1
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: rest[0..<end]), bytesRead)
                    consumed = min(next, filled)
                }
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { all in
                    _ = memmove(all.baseAddress!, all.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
            }
        }
    }

    /// Whether a line holds only JSON whitespace.
    static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
