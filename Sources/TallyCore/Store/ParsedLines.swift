import Dispatch

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
final class ParsedLines: @unchecked Sendable {  // each slot is handed over through the semaphores
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

    private enum Slot {
        case chunk(Chunk)
        case failed(any Error)
        case end
    }

    static let chunkLines = 1_024
    static let chunkBytes = 4 << 20
    static let depth = 4

    /// Fixed memory, not an `Array`: the two threads write different slots at once, which
    /// must not be two mutations of one array value.
    private let slots = UnsafeMutablePointer<Slot?>.allocate(capacity: depth)
    private var readCount = 0
    private var writeCount = 0
    /// Starts at 0 and is raised to ``depth``: libdispatch traps when a semaphore is freed
    /// below its initial value, as this one is when the reader stops early.
    private let room = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let closing = DispatchQueue(label: "tally.parsed-lines")
    private var isClosed = false

    /// Starts reading `fd`; `name` is the input's name for messages, and `recorded` the
    /// time the events are encoded as recorded at.
    init(fd: Int32, name: String, recorded: Timestamp) {
        slots.initialize(repeating: nil, count: Self.depth)
        for _ in 0..<Self.depth { room.signal() }
        // A queue of its own rather than a global one, whose threads a caller blocked in
        // `next()` may share: a private serial queue gets a thread of its own when none is free.
        DispatchQueue(label: "tally.parsed-lines.reader").async { [self] in
            produce(fd: fd, name: name, recorded: recorded)
            finished.signal()
        }
    }

    deinit {
        slots.deinitialize(count: Self.depth)
        slots.deallocate()
    }

    /// The next chunk, or nil at the end of the input.
    /// - Throws: ``LedgerError/io(path:reason:)`` when the input cannot be read.
    func next() throws -> Chunk? {
        filled.wait()
        let slot = slots[readCount % Self.depth]!
        slots[readCount % Self.depth] = nil
        readCount += 1
        room.signal()
        switch slot {
        case .chunk(let chunk): return chunk
        case .failed(let error): throw error
        case .end: return nil
        }
    }

    /// Stops the worker and waits for it: the input is not read once this returns. Call it
    /// exactly once.
    func close() {
        closing.sync { isClosed = true }
        room.signal()  // in case the worker waits for room
        finished.wait()
    }

    /// Parses, validates and encodes one line.
    static func parse(_ line: UnsafeRawBufferPointer, recorded: Timestamp) -> Result<EncodedEvent, Refusal> {
        let value: JSONValue
        do { value = try JSONReader.parse(line) } catch { return .failure(Refusal(field: "", reason: error.description)) }
        do { return .success(EncodedEvent(try EventValidator.validate(value), recorded: recorded)) } catch { return .failure(error) }
    }

    private struct Closed: Error {}

    private func produce(fd: Int32, name: String, recorded: Timestamp) {
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
                    guard push(.chunk(chunk)) else { throw Closed() }
                    chunk = Chunk()
                }
            }
            if push(.chunk(chunk)) { _ = push(.end) }
        } catch is Closed {
        } catch {
            _ = push(.failed(error))
        }
    }

    /// Hands `slot` to the reader, waiting for room; false once the reader has closed.
    private func push(_ slot: Slot) -> Bool {
        room.wait()
        if closing.sync(execute: { isClosed }) { return false }
        slots[writeCount % Self.depth] = slot
        writeCount += 1
        filled.signal()
        return true
    }
}
