import Testing
@testable import TallyCore

@Test func internerGivesDenseIdsInFirstSeenOrderAndFindsThemAgain() {
    var interner = Interner()
    var model: [String: Int32] = [:]
    var rng = SeededGenerator(state: 42)
    for _ in 0..<20_000 {
        let text = "m-\(Int.random(in: 0..<5_000, using: &rng))" + (Bool.random(using: &rng) ? "ü😀" : "")
        let (id, isNew) = interner.intern(text)
        if let known = model[text] {
            #expect(id == known && !isNew)
        } else {
            #expect(id == Int32(model.count) && isNew)
            model[text] = id
        }
    }
    #expect(interner.count == model.count)
    for (text, id) in model {
        #expect(interner.id(of: text) == id)
        #expect(interner.string(id) == text)
    }
    #expect(interner.id(of: "absent") == nil)
    #expect(interner.intern("").id == Int32(model.count))  // the empty string is an id like any other
}

/// Keys that share their first 8 bytes, or differ only in trailing NULs (which the
/// zero-padded heads do not show), are told apart by their length or their tails.
@Test func internerTellsApartKeysThatShareTheirFirstEightBytes() {
    let keys: [[UInt8]] = [[], [0], [0, 0], [0x61], [0x61, 0], Array(repeating: 0, count: 8), Array(repeating: 0, count: 9),
                           Array("abcdefgh".utf8), Array("abcdefgh".utf8) + [0], Array("abcdefghi".utf8), Array("abcdefghj".utf8),
                           Array(repeating: 0x62, count: 255), Array(repeating: 0x62, count: 256), Array(repeating: 0x62, count: 300)]
    var interner = Interner()
    for (index, key) in keys.enumerated() { #expect(interner.intern(key) == (Int32(index), true)) }
    for (index, key) in keys.enumerated() {
        #expect(interner.intern(key) == (Int32(index), false))
        #expect(interner.withBytes(Int32(index)) { Array($0) } == key)
    }
}

@Test func integerTableAgreesWithADictionary() {
    var table = IntegerTable<Int>()
    var model: [UInt64: Int] = [:]
    var rng = SeededGenerator(state: 7)
    for step in 0..<50_000 {
        let key = UInt64.random(in: 0..<8_000, using: &rng) << 32 | UInt64.random(in: 0..<4, using: &rng)
        if Bool.random(using: &rng) {
            table[key] = step
            model[key] = step
        } else {
            table.update(key, default: 0) { $0 += 1 }
            model[key, default: 0] += 1
        }
    }
    // The lowest and highest keys there are: a slot holds its key plus one, 0 when empty.
    for key in [0, UInt64.max - 1] {
        table[key] = -1
        model[key] = -1
    }
    #expect(table.count == model.count)
    for (key, value) in model { #expect(table[key] == value) }
    var visited = 0
    table.forEach { key, value in
        visited += 1
        #expect(model[key] == value)
    }
    #expect(visited == model.count)
    #expect(table[UInt64.max] == nil)
}

@Test func keyOrderRanksSortIdsAsTheirLengthPrefixedKeysSort() {
    var interner = Interner()
    var rng = SeededGenerator(state: 3)
    let lengths = [0, 1, 7, 8, 15, 16, 17, 127, 128, 129, 200, 16_383, 16_384]
    for _ in 0..<3_000 {
        let length = Bool.random(using: &rng) ? lengths.randomElement(using: &rng)! : Int.random(in: 0..<40, using: &rng)
        // Few distinct bytes, NUL among them, so that long common prefixes are frequent.
        let bytes = (0..<length).map { _ in [0x00, 0x61, 0x62, 0xFF][Int.random(in: 0..<4, using: &rng)] as UInt8 }
        _ = interner.intern(bytes)
    }
    let ranks = interner.keyOrderRanks()
    func key(_ id: Int32) -> [UInt8] {
        var writer = ByteWriter()
        interner.withBytes(id) { writer.append(lengthPrefixed: $0) }
        return writer.bytes
    }
    let keys = (0..<Int32(interner.count)).map(key)
    let byKey = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    #expect(byKey.map { ranks[Int($0)] } == (0..<UInt32(interner.count)).map { $0 })
}

/// Reports sort names by their UTF-8 bytes, as LMDB orders keys: names that share their
/// first 8 bytes, prefixes of others, and non-ASCII text (which `String`'s `<` may order
/// otherwise) against a plain bytewise sort, with ranks first and the sort stable.
@Test func sortingByBytesOfNamesMatchesABytewiseSortAfterTheRank() {
    var rng = SeededGenerator(state: 7)
    let stems = ["", "a", "abcdefgh", "abcdefghi", "abcdefgh\u{0}", "é", "e\u{301}", "m-000077", "会员", "😀", "\u{7F}"]
    let rows = (0..<3_000).map { index in
        (name: stems.randomElement(using: &rng)! + stems.randomElement(using: &rng)!, rank: Int64.random(in: -2...2, using: &rng), index: index)
    }
    let expected = rows.sorted { a, b in
        if a.rank != b.rank { return a.rank < b.rank }
        let (x, y) = (Array(a.name.utf8), Array(b.name.utf8))
        return x.lexicographicallyPrecedes(y) || (x == y && a.index < b.index)
    }
    #expect(rows.sorted(byBytesOf: \.name) { $0.rank }.map(\.index) == expected.map(\.index))
}

/// The radix sort of the projection writes' exact orders is a stable sort by key, whether
/// the keys vary in a few bytes (a rank ‖ a day) or in all eight.
@Test func sortingByRadixIsAStableSortByKey() {
    var rng = SeededGenerator(state: 11)
    for keys in [{ UInt64.random(in: 0..<300, using: &rng) << 32 | UInt64.random(in: 20_000..<20_400, using: &rng) },
                 { UInt64.random(in: .min ... .max, using: &rng) }, { 42 }] as [() -> UInt64] {
        var pairs = (0..<5_000).map { (key: keys(), index: $0) }
        let expected = pairs.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        pairs.sortByRadix { $0.key }
        #expect(pairs.map(\.index) == expected.map(\.index))
    }
}

/// Emptied for the next batch, an interner forgets every key and counts from 0 again.
@Test func internerEmptiedKeepingItsMemoryStartsAgainFromZero() {
    var interner = Interner()
    for index in 0..<1_000 { _ = interner.intern("key-\(index)") }
    interner.removeAll(keepingCapacity: true)
    #expect(interner.count == 0)
    #expect(interner.id(of: "key-7") == nil)
    #expect(interner.intern("new") == (0, true))
    #expect(interner.intern("key-7") == (1, true))
    #expect(interner.intern("new") == (0, false))
}

/// A read-ahead reads the slot where a look-up starts: after one key is interned (or
/// stored), its slot is the only one of the 32 that is not empty.
@Test func theSlotReadAheadIsWhereALookUpStarts() {
    var interner = Interner()
    let key = Array("m-000077".utf8), other = Array("m-000078".utf8)
    let slot = key.withUnsafeBytes { interner.slotIndex(of: $0) }
    #expect(interner.readSlots([slot]) == 0)
    _ = interner.intern(key)
    #expect(interner.readSlots([slot]) != 0)
    let otherSlot = other.withUnsafeBytes { interner.slotIndex(of: $0) }
    #expect(otherSlot == slot || interner.readSlots([otherSlot]) == 0)
    #expect(interner.readSlots(Array(0..<32).filter { $0 != slot }) == 0)

    var table = IntegerTable<Int>()
    table[12_345] = 1
    let tableSlot = table.slotIndex(of: 12_345)
    #expect(table.readSlots([tableSlot]) == 12_346)  // a slot holds its key plus one
    #expect(table.readSlots(Array(0..<32).filter { $0 != tableSlot }) == 0)
}
