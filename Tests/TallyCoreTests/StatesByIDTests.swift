import Testing
@testable import TallyCore

/// States loaded in id order are found by binary search, byte for byte; once one is added
/// out of order, they are indexed and listed sorted by id bytes again.
@Test func statesByIDFindLoadedIDsByBytesAndListThemInByteOrder() {
    let loaded = ["a", "c\u{E9}", "ce\u{301}", "m-10", "m-2", "\u{4F1A}"].sorted { $0.precedesInKeyOrder($1) }
    var states = StatesByID<Int>()
    states.loadInIDOrder(loaded.enumerated().map { ($0.element, $0.offset) })
    for (index, id) in loaded.enumerated() { #expect(states[id] == index) }
    #expect(states["b"] == nil && states["m-1"] == nil && states["c"] == nil)
    states["b"] = 99  // out of order: appended, then sorted when listed
    states["m-2"] = 42
    #expect(states["b"] == 99 && states["m-2"] == 42 && states["ce\u{301}"] == loaded.firstIndex { $0.isExactly("ce\u{301}") })
    let listed = states.inIDOrder()
    #expect(listed.map { Array($0.id.utf8) } == (loaded + ["b"]).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(listed.count == 7 && listed.first { $0.id == "m-2" }?.state == 42)
}
