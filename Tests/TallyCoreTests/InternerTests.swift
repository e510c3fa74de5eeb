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
