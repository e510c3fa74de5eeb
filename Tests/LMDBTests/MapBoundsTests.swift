import Foundation
import CLMDB
@testable import LMDB
import Testing

/// An entry inside the map must end within the file. One past the size measured last is
/// checked against the file as it is now, and that size is kept: a write transaction past
/// 512 MB of changes writes ("spills") pages to the file and reads them back through the map.
/// Entries outside the map (a write transaction's own pages, in ordinary memory) pass.
@Test func anEntryPastTheFileIsRefusedUnlessTheFileHasGrownToHoldIt() throws {
    let map: UInt = 0x7F00_0000_0000
    let bounds = try #require(MapBounds(mapping: MappedPages(start: map, length: 1 << 30), fileSize: 0x1000))
    defer { bounds.release() }
    func entry(at offset: UInt, size: Int) -> MDB_val { MDB_val(mv_size: size, mv_data: UnsafeMutableRawPointer(bitPattern: map + offset)) }
    let key = entry(at: 0x10, size: 8), spilled = entry(at: 0x2000, size: 100)
    try bounds.check(key, entry(at: 0x100, size: 0xF00), fileSize: { nil }, "get")
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, spilled, fileSize: { 0x2010 }, "get") }
    try bounds.check(key, spilled, fileSize: { 0x3000 }, "get")
    try bounds.check(key, spilled, fileSize: { nil }, "get")  // the size measured last is kept
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, entry(at: 0x100, size: 1 << 32), fileSize: { 0x3000 }, "get") }
    #expect(throws: LMDBError.corrupted) { try bounds.check(key, entry(at: 0x100, size: .max), fileSize: { .max }, "get") }
    let ownPage = MDB_val(mv_size: 1 << 40, mv_data: UnsafeMutableRawPointer(bitPattern: 0x1000_0000))
    try bounds.check(key, ownPage, fileSize: { nil }, "get")
}

/// The free bytes of the file system holding the temporary directory.
private func freeTemporaryBytes() -> Int {
    var info = statvfs()
    guard statvfs(FileManager.default.temporaryDirectory.path, &info) == 0 else { return 0 }
    return Int(info.f_bavail) * Int(info.f_frsize)
}

/// The same through LMDB: a write of 140,000 values of 4,000 bytes (a page each, 560 MB) makes
/// LMDB spill its first pages to the file before the commit; reading them back in the same
/// transaction goes through the map, past the file's size when the transaction began. (It
/// needs 2 GB free; an import of 10M events failed this way until the check measured again.)
@Test(.enabled(if: freeTemporaryBytes() > 2 << 30))
func aWriteReadsBackThePagesLMDBSpilledToTheFile() throws {
    try withEnvironment(mapSize: 1 << 30) { env in
        let db = try env.write { try $0.openDatabase("spill", create: true) }
        func key(_ index: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(index).bigEndian, Array.init) }
        try env.write { txn in
            for index in 0..<140_000 { try txn.put(db, key: key(index), value: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 4_000)) }
            for index in stride(from: 0, to: 140_000, by: 1_009) {
                #expect(try txn.get(db, key: key(index))?.first == UInt8(truncatingIfNeeded: index))
            }
        }
    }
}

/// A named database's record in the main database, its size damaged (48 → 0x5530): LMDB
/// would open it, and a write replacing it would shift the page by the damaged size. The
/// wrapper refuses to open it.
@Test func aNamedDatabaseWhoseRecordIsDamagedIsRefused() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("tally-t", create: true) }
        try env.write { txn in try txn.put(db, key: [1], value: [2]) }
        let file = URL(fileURLWithPath: env.path + "/data.mdb")
        var bytes = try [UInt8](Data(contentsOf: file))
        let node: [UInt8] = [0x30, 0, 0, 0, 2, 0, 7, 0] + Array("tally-t".utf8)  // size 48, F_SUBDATA, key size 7
        var damaged = 0
        for start in 0..<(bytes.count - node.count) where bytes[start..<(start + node.count)].elementsEqual(node) {
            bytes[start + 1] = 0x55
            damaged += 1
        }
        try #require(damaged > 0)
        try Data(bytes).write(to: file)
        let reopened = try Environment(path: env.path)
        #expect(throws: LMDBError.corrupted) { try reopened.read { try $0.openDatabase("tally-t") } }
    }
}
