import CLMDB
@testable import LMDB
import Testing

/// An entry inside the map must end within the file. One past the size measured when the
/// transaction began is checked against the file as it is now: a write transaction past
/// 512 MB of changes writes ("spills") pages to the file and reads them back through the map.
/// Entries outside the map (a write transaction's own pages, in ordinary memory) pass.
@Test func anEntryPastTheFileIsRefusedUnlessTheFileHasGrownToHoldIt() throws {
    let map: UInt = 0x7F00_0000_0000
    let bounds = try #require(MapBounds(mapping: MappedPages(start: map, length: 1 << 30), fileSize: 0x1000))
    func entry(at offset: UInt, size: Int) -> MDB_val { MDB_val(mv_size: size, mv_data: UnsafeMutableRawPointer(bitPattern: map + offset)) }
    let key = entry(at: 0x10, size: 8)
    try bounds.check(key, entry(at: 0x100, size: 0xF00), fileSize: { nil }, "get")
    let spilled = entry(at: 0x2000, size: 100)
    try bounds.check(key, spilled, fileSize: { 0x3000 }, "get")
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, spilled, fileSize: { 0x2010 }, "get") }
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, entry(at: 0x100, size: 1 << 32), fileSize: { 0x3000 }, "get") }
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, entry(at: 0x100, size: .max), fileSize: { .max }, "get") }
    let ownPage = MDB_val(mv_size: 1 << 40, mv_data: UnsafeMutableRawPointer(bitPattern: 0x1000_0000))
    try bounds.check(key, ownPage, fileSize: { nil }, "get")
}
