import Foundation
import LMDB
import Testing

/// A fresh environment in its own temporary directory, removed afterwards.
func withEnvironment(mapSize: Int = 1 << 20, _ body: (Environment) throws -> Void) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var options = Environment.Options()
    options.mapSize = mapSize
    options.noSync = true
    try body(try Environment(path: path, options: options))
}

@Test func committedWritesAreVisibleAndAbortedOnesAreNot() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        try env.write { txn in try txn.put(db, key: [1], value: [10]) }
        struct Rollback: Error {}
        #expect(throws: Rollback.self) {
            try env.write { (txn) throws in
                try txn.put(db, key: [2], value: [20])
                throw Rollback()
            }
        }
        try env.read { (txn) throws in
            #expect(try txn.get(db, key: [1]) == [10])
            #expect(try txn.get(db, key: [2]) == nil)
        }
    }
}

@Test func cursorWalksKeysInOrderAndSeeks() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        try env.write { (txn) throws in
            for key: UInt8 in [5, 1, 3] { try txn.put(db, key: [key], value: [key &* 2]) }
        }
        try env.read { (txn) throws in
            try txn.withCursor(db) { (cursor) throws in
                var keys: [UInt8] = []
                var entry = try cursor.first()
                while let (key, _) = entry { keys.append(key[0]); entry = try cursor.next() }
                #expect(keys == [1, 3, 5])
                #expect(try cursor.seek([2])?.key.first == 3)
                #expect(try cursor.seek([6]) == nil)
                #expect(try cursor.last()?.value.first == 10)
            }
        }
    }
}

@Test func cursorPutsAppendInKeyOrderAndRefuseAKeyOutOfOrder() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        try env.write { (txn) throws in
            try txn.withCursor(db) { (cursor) throws in
                for key: UInt8 in 1...200 { try [key].withUnsafeBytes { k in try [key &* 3].withUnsafeBytes { try cursor.put(key: k, value: $0, flags: .append) } } }
            }
        }
        do {
            try env.write { (txn) throws in
                try txn.withCursor(db) { (cursor) throws in
                    try [UInt8(100)].withUnsafeBytes { try cursor.put(key: $0, value: $0, flags: .append) }
                }
            }
            Issue.record("expected keyExists for a key before the last")
        } catch let error as LMDBError {
            #expect(error.code == LMDBError.keyExists.code)
            #expect(error.operation == "mdb_cursor_put")
        }
        try env.read { (txn) throws in
            #expect(try txn.count(db) == 200)
            #expect(try txn.get(db, key: [100]) == [44])  // 100 × 3 mod 256: the refused write changed nothing
            #expect(try txn.get(db, key: [200]) == [88])
        }
    }
}

@Test func errorsCarryCodeAndOperation() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        #expect(throws: LMDBError.notFound) { try env.read { try $0.openDatabase("missing") } }
        do {
            try env.write { (txn) throws in
                try txn.put(db, key: [1], value: [1])
                try txn.put(db, key: [1], value: [2], flags: .noOverwrite)
            }
            Issue.record("expected keyExists")
        } catch let error as LMDBError {
            #expect(error.code == LMDBError.keyExists.code)
            #expect(error.operation == "mdb_put")
            #expect(!error.message.isEmpty)
        }
    }
}

@Test func mapGrowsInsteadOfFailing() throws {
    try withEnvironment(mapSize: 64 << 10) { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        let value = [UInt8](repeating: 7, count: 1000)
        try env.write { (txn) throws in
            for index in 0..<2000 { try txn.put(db, key: Array("k\(index)".utf8), value: value) }
        }
        try env.read { (txn) throws in #expect(try txn.count(db) == 2000) }
        #expect(try env.info().mapSize > 64 << 10)
    }
}

@Test func deleteAndClear() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        try env.write { (txn) throws in
            try txn.put(db, key: [1], value: [1])
            try txn.put(db, key: [2], value: [2])
            #expect(try txn.delete(db, key: [1]))
            #expect(try !txn.delete(db, key: [9]))
        }
        try env.read { (txn) throws in #expect(try txn.count(db) == 1) }
        try env.write { txn in try txn.clear(db) }
        try env.read { (txn) throws in #expect(try txn.count(db) == 0) }
    }
}

@Test func compactCopyHoldsTheSameData() throws {
    try withEnvironment { env in
        let db = try env.write { try $0.openDatabase("t", create: true) }
        try env.write { txn in for index: UInt8 in 0..<100 { try txn.put(db, key: [index], value: [index]) } }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-copy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try env.copy(to: copy, compact: true)
        let other = try Environment(path: copy)
        let otherDB = try other.read { try $0.openDatabase("t") }
        try other.read { (txn) throws in #expect(try txn.count(otherDB) == 100) }
    }
}
