import Dispatch

/// Runs jobs on threads of their own and hands their results to the caller in job order,
/// each as soon as it is ready: the caller works on one result (writes a table) while the
/// threads make the next ones.
///
/// At most `atOnce` results exist at a time: job `k` starts once the caller is done with
/// the result of job `k - atOnce`. Each thread takes every `threads`-th job, in order, so
/// the job the caller waits for is always running or about to.
///
/// ```swift
/// try OrderedJobs.run([{ encode(days) }, { encode(votes) }], atOnce: 2) { writes in
///     try writes.write(txn)
/// }
/// ```
enum OrderedJobs {
    /// Calls `body` with the result of each of `jobs`, in order. Should `body` throw, the
    /// jobs still running finish, their results are dropped, and the error is rethrown.
    static func run<Result>(_ jobs: [() -> Result], atOnce: Int, threads: Int = 2, _ body: (Result) throws -> Void) rethrows {
        let count = jobs.count, atOnce = max(1, atOnce), threads = max(1, min(threads, jobs.count))
        guard count > 0 else { return }
        let slots = UnsafeMutablePointer<Result?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
        defer {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        let ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        let consumed = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        let finished = DispatchSemaphore(value: 0)
        // Each slot is written by one thread before `ready` is signalled, and read and
        // emptied by the caller after waiting for it.
        nonisolated(unsafe) let (jobs, shared) = (jobs, slots)
        for thread in 0..<threads {
            // A queue of its own, as ChunkQueue's: it gets a thread even when the pool's are busy.
            DispatchQueue(label: "tally.ordered-jobs").async {
                for index in stride(from: thread, to: count, by: threads) {
                    if index >= atOnce { consumed[index - atOnce].wait() }
                    shared[index] = jobs[index]()
                    ready[index].signal()
                }
                finished.signal()
            }
        }
        var waited = 0
        defer {
            // After an error: let the threads finish, dropping what they make.
            for index in waited..<count {
                ready[index].wait()
                slots[index] = nil
                consumed[index].signal()
            }
            for _ in 0..<threads { finished.wait() }
        }
        while waited < count {
            let index = waited
            ready[index].wait()
            waited += 1
            defer { consumed[index].signal() }
            guard let result = slots[index] else { continue }  // every job leaves a result
            slots[index] = nil
            try body(result)
        }
    }
}
