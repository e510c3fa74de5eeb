import Foundation
import Testing
@testable import TallyCore
import LMDB

@Test func writtenKeysNeverForgetAKeyAndRarelyClaimOneTheyWereNotGiven() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    let written = try temporary.ledger.read { txn in try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 10_000) }
    func insert(_ range: Range<Int>) { withKeys(range.map { "id-\($0)" }) { written.insert($0, into: schema.ids) } }
    func mayContain(_ text: String, in db: Database = schema.ids) -> Bool { Array(text.utf8).withUnsafeBytes { written.mayContain($0, in: db) } }

    insert(0..<10_000)
    #expect((0..<10_000).allSatisfy { mayContain("id-\($0)") })
    #expect((0..<10_000).count { mayContain("other-\($0)") } < 800)  // about 3% expected at 8 bits a key
    #expect(mayContain("id-1", in: schema.entities))  // not tracked

    // Far past its size it answers "may be there" for everything rather than guess.
    insert(10_000..<40_000)
    #expect((0..<1_000).allSatisfy { mayContain("other-\($0)") })
}

@Test func keysRecordedInABatchAreRecordedAsOneByOne() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    let (oneByOne, batched) = try temporary.ledger.read { txn in
        (try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 2_000), try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 2_000))
    }
    withKeys((0..<3_000).map { "id-\($0)" }) { keys in
        for key in keys { oneByOne.insert([key], into: schema.ids) }
        batched.insert(keys, into: schema.ids)  // three batches and a part
    }
    func claims(_ filter: WrittenKeys) -> [Bool] {
        (0..<6_000).map { index in Array("id-\(index)".utf8).withUnsafeBytes { filter.mayContain($0, in: schema.ids) } }
    }
    #expect(claims(batched).prefix(3_000).allSatisfy { $0 })
    #expect(claims(batched) == claims(oneByOne))
    // Past twice its size, counted the same way, it claims every key.
    withKeys((3_000..<4_100).map { "id-\($0)" }) { batched.insert($0, into: schema.ids) }
    #expect(Array("other".utf8).withUnsafeBytes { batched.mayContain($0, in: schema.ids) })
}

extension WrittenKeys {
    /// Records each of `keys` as written to `db`, as a flush's writes do.
    fileprivate func insert(_ keys: some Sequence<UnsafeRawBufferPointer>, into db: Database) {
        recording(into: db) { record in
            for key in keys { record(key) }
        }
    }
}

/// Calls `body` with the UTF-8 bytes of each of `texts`.
private func withKeys(_ texts: [String], _ body: ([UnsafeRawBufferPointer]) throws -> Void) rethrows {
    let lengths = texts.map(\.utf8.count)
    try texts.flatMap(\.utf8).withUnsafeBytes { arena in
        var start = 0
        try body(lengths.map { length in
            defer { start += length }
            return UnsafeRawBufferPointer(rebasing: arena[start..<(start + length)])
        })
    }
}

/// A database that already holds keys is tracked only when it is small beside the keys
/// expected, and then with the keys it holds.
@Test func aSmallDatabaseIsTrackedWithTheKeysItHoldsALargeOneIsNot() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    let (small, large) = try temporary.ledger.write { txn in
        for index in 0..<1_000 {
            try Array("stored-\(index)".utf8).withUnsafeBytes { try txn.put(schema.ids, key: $0, value: UnsafeRawBufferPointer(start: nil, count: 0)) }
        }
        return (try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 500),
                try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 499))  // 1,000 > 2 × 499
    }
    func mayContain(_ filter: WrittenKeys, _ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { filter.mayContain($0, in: schema.ids) } }
    #expect((0..<1_000).allSatisfy { mayContain(small, "stored-\($0)") })
    #expect((0..<1_000).count { mayContain(small, "other-\($0)") } < 100)
    #expect((0..<1_000).allSatisfy { mayContain(large, "other-\($0)") })
}

@Test func aFilterThatStoppedTrackingClaimsEveryKey() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    let written = try temporary.ledger.read { txn in try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 1_000) }
    func mayContain(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { written.mayContain($0, in: schema.ids) } }
    #expect(!mayContain("never-written"))
    written.stopTracking()
    withKeys(["written-after"]) { written.insert($0, into: schema.ids) }
    #expect(mayContain("never-written") && mayContain("written-after"))
}

@Test func aFullFilterIsSizedAnewFromTheKeysWritten() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    let (grew, stillTracked, claimed) = try temporary.ledger.write { txn in
        let written = try WrittenKeys(tracking: [schema.ids], txn, expectedKeys: 100)
        try withKeys((0..<5_000).map { "id-\($0)" }) { keys in
            for key in keys { try txn.put(schema.ids, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0)) }
            written.insert(keys, into: schema.ids)
        }
        let grew = try written.growIfFull(txn)
        let stillTracked = (0..<5_000).allSatisfy { index in Array("id-\(index)".utf8).withUnsafeBytes { written.mayContain($0, in: schema.ids) } }
        let claimed = (0..<5_000).count { index in Array("other-\(index)".utf8).withUnsafeBytes { written.mayContain($0, in: schema.ids) } }
        return (grew, stillTracked, claimed)
    }
    #expect(grew && stillTracked)
    #expect(claimed < 400)  // about 3%, as sized for the keys written
}

/// Writing early, as long imports do every 100,000 events, then appending events that
/// look up what was written: duplicates, conflicts, a redemption, a complaint's handling,
/// votes and credits must all find it.
@Test func appendsAfterAnEarlyWriteFindWhatItWrote() throws {
    let samples = try String(contentsOf: repositoryRoot.appendingPathComponent("events/samples/community.ndjson"), encoding: .utf8)
    let events = try samples.split(separator: "\n").map { try event(String($0)) }
    let temporary = try TemporaryLedger()
    let ledger = temporary.ledger!
    try ledger.write { txn in
        let session = try AppendSession(schema: ledger.schema, txn, storedRules: ledger.builtInRules, expectedEvents: events.count)
        for (index, event) in events.enumerated() {
            if [13, 15].contains(index) { try session.flush(txn) }  // before a redemption, and between complaint and response
            _ = try session.append(event, txn)
        }
        var conflicting = events[3], again = events[3]
        conflicting.actor = "mallory"
        again.id = "another-id"  // post p-1 exists
        #expect(try session.append(events[3], txn) == .duplicate(seq: 4))
        for refused in [conflicting, again] {
            do {
                _ = try session.append(refused, txn)
                Issue.record("appended \(refused)")
            } catch is Refusal {}
        }
        try session.finish(txn)
    }
    #expect(try temporary.events().count == events.count)
    #expect(try ledger.verify().ok)
    #expect(try ledger.verifyProjections() == .ok)
}
