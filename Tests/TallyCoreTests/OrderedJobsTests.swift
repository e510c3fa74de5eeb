import Dispatch
import Testing
@testable import TallyCore

/// What the jobs and the caller did, in the order they did it.
private final class Log: @unchecked Sendable {  // every access goes through `queue`
    private let queue = DispatchQueue(label: "tally.test.log")
    private var entries: [String] = []

    func add(_ entry: String) { queue.sync { entries.append(entry) } }
    var all: [String] { queue.sync { entries } }
}

@Test(arguments: [1, 2, 9])
func orderedJobsHandResultsOverInOrderAndStartAJobOnlyOnceTheOneAtOnceBeforeIsDone(atOnce: Int) throws {
    let log = Log()
    let jobs: [() -> Int] = (0..<9).map { index in { log.add("start \(index)"); return index * index } }
    var results: [Int] = []
    OrderedJobs.run(jobs, atOnce: atOnce) { result in
        results.append(result)
        log.add("done \(results.count - 1)")
    }
    #expect(results == (0..<9).map { $0 * $0 })
    let entries = log.all
    for index in atOnce..<9 {
        let started = try #require(entries.firstIndex(of: "start \(index)"))
        let earlierDone = try #require(entries.firstIndex(of: "done \(index - atOnce)"))
        #expect(earlierDone < started)
    }
}

@Test func orderedJobsRethrowTheCallersErrorOnceEveryJobHasFinished() {
    struct Stop: Error {}
    let log = Log()
    let jobs: [() -> Int] = (0..<6).map { index in { log.add("job \(index)"); return index } }
    #expect(throws: Stop.self) {
        try OrderedJobs.run(jobs, atOnce: 2) { result in if result == 2 { throw Stop() } }
    }
    #expect(log.all.count == 6)  // none still running after the call returned
}
