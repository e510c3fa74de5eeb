import Testing
@testable import TallyCore

/// Rows encoded as they are written, sorted by the orders they were given, come out as an
/// arena of the same pairs sorted by their keys' bytes does: a day table's orders (a member's
/// rank ‖ a day, days before 1970 among them) sort as its keys do. Written, the arena finds
/// no difference from them.
@Test func rowsSortedByTheirOrdersGiveTheArenasPairsInKeyOrder() throws {
    let temporary = try TemporaryLedger()
    let table = temporary.ledger.schema.projection.days
    var rng = SeededGenerator(state: 5)
    var orders = Set<UInt64>()
    while orders.count < 3_000 {
        let day = Int32.random(in: -400...400, using: &rng)
        orders.insert(UInt64.random(in: 0..<50, using: &rng) << 32 | UInt64(UInt32(bitPattern: day)))
    }
    // Member ranks 0–49 named m-0…m-49: length-prefixed, they sort as their ranks do.
    func encodeKey(_ order: UInt64, into key: inout ByteWriter) {
        key.append(lengthPrefixed: "m-\(order >> 32)")
        key.append(bigEndian: Int64(Int32(truncatingIfNeeded: order)))
    }
    var rows = RowWrites<Int64>(table, capacity: orders.count) { order, row, key, value in
        encodeKey(order, into: &key)
        value.append(bigEndian: row)
    }
    var arena = SortedWrites(table)
    for order in orders.shuffled(using: &rng) {
        let row = Int64(bitPattern: order &* 0x9E37_79B9)
        rows.add(order: order, row)
        arena.add(key: { encodeKey(order, into: &$0) }, value: { $0.append(bigEndian: row) })  // sorted by its bytes
    }
    rows.sort()
    arena.sort()
    func pairs(_ writes: some KeyOrderedPairs) -> [[UInt8]] {
        var pairs: [[UInt8]] = []
        writes.forEachPair { key, value in pairs += [Array(key), Array(value)] }
        return pairs
    }
    #expect(pairs(rows).count == 2 * orders.count)
    #expect(pairs(rows) == pairs(arena))
    try temporary.ledger.write { txn in
        try rows.write(txn, pages: PageReleaser(), written: WrittenKeys())
        #expect(try arena.firstDifference(txn, pages: PageReleaser()) == nil)
    }
}
