/// The lines of an NDJSON input, read, parsed, validated and encoded on a worker thread a
/// few chunks ahead of the caller. That work needs no ledger state, so it overlaps the
/// appends of an import on the other core.
///
/// ```swift
/// let lines = ParsedLines(fd: fd, name: path, recorded: session.recorded)
/// defer { lines.close() }
/// while let chunk = try lines.next() { for line in chunk.lines { … } }
/// ```
/// At most ``depth`` chunks of at most ``chunkLines`` lines or ``chunkBytes`` bytes of
/// input (plus one line) are held at once.
final class ParsedLines {
    /// One non-blank line: the event it holds, encoded, or why it is refused.
    struct Line: Sendable {
        var number: Int
        var parsed: Result<EncodedEvent, Refusal>
    }

    /// Consecutive lines, and how far the input had been read when the last was.
    struct Chunk: Sendable {
        var lines: [Line] = []
        var lastLineNumber = 0
        var bytesRead = 0
        fileprivate var lineBytes = 0
    }

    static let chunkLines = 1_024
    static let chunkBytes = 4 << 20
    static let depth = 4

    private let queue: ChunkQueue<Chunk>

    /// Starts reading `fd`; `name` is the input's name for messages, and `recorded` the
    /// time the events are encoded as recorded at.
    init(fd: Int32, name: String, recorded: Timestamp) {
        queue = ChunkQueue(depth: Self.depth, label: "tally.parsed-lines.reader") { queue in
            try Self.produce(fd: fd, name: name, recorded: recorded, into: queue)
        }
    }

    /// The next chunk, or nil at the end of the input.
    /// - Throws: ``LedgerError/io(path:reason:)`` when the input cannot be read.
    func next() throws -> Chunk? {
        try queue.next()
    }

    /// Stops the worker and waits for it: the input is not read once this returns. Call it
    /// exactly once.
    func close() {
        queue.close()
    }

    /// Parses, validates and encodes one line.
    static func parse(_ line: UnsafeRawBufferPointer, recorded: Timestamp) -> Result<EncodedEvent, Refusal> {
        let value: JSONValue
        do { value = try JSONReader.parse(line) } catch { return .failure(Refusal(field: "", reason: error.description)) }
        do { return .success(EncodedEvent(try EventValidator.validate(value), recorded: recorded)) } catch { return .failure(error) }
    }

    private struct Closed: Error {}

    private static func produce(fd: Int32, name: String, recorded: Timestamp, into queue: ChunkQueue<Chunk>) throws {
        var reader = LineReader(fd: fd, name: name)
        var chunk = Chunk()
        do {
            try reader.forEachLine { number, line, bytesRead in
                (chunk.lastLineNumber, chunk.bytesRead) = (number, bytesRead)
                if !LineReader.isBlank(line) {
                    chunk.lines.append(Line(number: number, parsed: Self.parse(line, recorded: recorded)))
                    chunk.lineBytes += line.count
                }
                if chunk.lines.count >= Self.chunkLines || chunk.lineBytes >= Self.chunkBytes {
                    guard queue.push(chunk) else { throw Closed() }
                    chunk = Chunk()
                }
            }
            _ = queue.push(chunk)
        } catch is Closed {}  // the caller stopped reading
    }
}
