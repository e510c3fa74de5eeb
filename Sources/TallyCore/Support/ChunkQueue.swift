import Dispatch

/// Chunks of work made on a thread of their own and handed to the caller in order, at most
/// `depth` at a time: the producer works ahead on one core while the caller works on the
/// other (parsing an import's lines, decoding a replay's records).
///
/// ```swift
/// let queue = ChunkQueue<[Int]>(label: "numbers") { queue in
///     for start in stride(from: 0, to: 100, by: 10) {
///         guard queue.push(Array(start..<start + 10)) else { return }  // closed by the caller
///     }
/// }
/// defer { queue.close() }
/// while let chunk = try queue.next() { … }
/// ```
final class ChunkQueue<Chunk>: @unchecked Sendable {  // each slot is handed over through the semaphores
    private enum Slot {
        case chunk(Chunk)
        case failed(any Error)
        case end
    }

    let depth: Int
    /// Fixed memory, not an `Array`: the two threads write different slots at once, which
    /// must not be two mutations of one array value.
    private let slots: UnsafeMutablePointer<Slot?>
    private var readCount = 0
    private var writeCount = 0
    /// Starts at 0 and is raised to `depth`: libdispatch traps when a semaphore is freed
    /// below its initial value, as this one is when the producer stops early.
    private let room = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let closed = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let closing = DispatchQueue(label: "tally.chunk-queue.closing")
    private var isClosed = false
    /// Whether the producer has handed over its end, or been told the queue is closed: it
    /// hands over nothing more (read and written on the producer's thread only).
    private var producerIsDone = false

    /// Starts `produce`, which hands over its chunks with ``push(_:)``. When it returns (or
    /// calls ``end()``), the caller's ``next()`` gives nil after the last chunk; when it
    /// throws, ``next()`` throws the error.
    init(depth: Int = 4, label: String, produce: @escaping @Sendable (ChunkQueue) throws -> Void) {
        self.depth = depth
        slots = .allocate(capacity: depth)
        slots.initialize(repeating: nil, count: depth)
        for _ in 0..<depth { room.signal() }
        // A queue of its own rather than a global one, whose threads a caller blocked in
        // `next()` may share: a private serial queue gets a thread of its own when none is free.
        DispatchQueue(label: label).async { [self] in
            do {
                try produce(self)
                end()
            } catch {
                if !producerIsDone { _ = hand(.failed(error)) }
            }
            finished.signal()
        }
    }

    deinit {
        slots.deinitialize(count: depth)
        slots.deallocate()
    }

    /// Hands `chunk` to the caller, waiting for room; false once the caller has closed the
    /// queue, when the producer should stop.
    func push(_ chunk: Chunk) -> Bool {
        !producerIsDone && hand(.chunk(chunk))
    }

    /// Tells the caller there are no more chunks, before the producer returns.
    func end() {
        if !producerIsDone { _ = hand(.end) }
    }

    /// Waits until the caller closes the queue: for a producer whose chunks point into
    /// memory it must keep (a read transaction's pages) until the caller is done with them.
    /// Call ``end()`` first.
    func waitUntilClosed() {
        closed.wait()
    }

    /// The next chunk, or nil after the last.
    /// - Throws: what the producer threw.
    func next() throws -> Chunk? {
        filled.wait()
        let slot = slots[readCount % depth]!
        slots[readCount % depth] = nil
        readCount += 1
        room.signal()
        switch slot {
        case .chunk(let chunk): return chunk
        case .failed(let error): throw error
        case .end: return nil
        }
    }

    /// Stops the producer and waits for it: it hands over nothing once this returns. Call
    /// it exactly once.
    func close() {
        closing.sync { isClosed = true }
        closed.signal()
        room.signal()  // in case the producer waits for room
        finished.wait()
    }

    /// Waits for room and hands `slot` over; false, and the producer is done, once the
    /// caller has closed the queue. After the producer is done it is not called again, so it
    /// waits at most once after ``close()``, which leaves room for that once.
    private func hand(_ slot: Slot) -> Bool {
        room.wait()
        if closing.sync(execute: { isClosed }) {
            producerIsDone = true
            return false
        }
        slots[writeCount % depth] = slot
        writeCount += 1
        filled.signal()
        if case .chunk = slot {} else { producerIsDone = true }
        return true
    }
}
