import Foundation
import LMDB
import Testing

/// Runs a python3 process that opens the environment at `path` with liblmdb and a map of
/// 64 MiB, and writes 2,000 values of 4 KB into the database `t`: 8 MB, past the map of
/// an environment opened with 1 MiB.
func growInAnotherProcess(_ path: String) throws {
    let script = """
        import ctypes, sys
        lmdb = ctypes.CDLL("liblmdb.so.0")
        class Val(ctypes.Structure):
            _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.c_void_p)]
        env, txn, dbi = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_uint()
        assert lmdb.mdb_env_create(ctypes.byref(env)) == 0
        assert lmdb.mdb_env_set_maxdbs(env, 4) == 0
        assert lmdb.mdb_env_set_mapsize(env, ctypes.c_size_t(64 << 20)) == 0
        assert lmdb.mdb_env_open(env, sys.argv[1].encode(), 0x200000 | 0x10000, 0o600) == 0  # MDB_NOTLS | MDB_NOSYNC
        assert lmdb.mdb_txn_begin(env, None, 0, ctypes.byref(txn)) == 0
        assert lmdb.mdb_dbi_open(txn, b"t", 0, ctypes.byref(dbi)) == 0
        value = ctypes.create_string_buffer(b"v" * 4096, 4096)
        for index in range(2000):
            key = ctypes.create_string_buffer(b"k%05d" % index, 6)
            assert lmdb.mdb_put(txn, dbi, ctypes.byref(Val(6, ctypes.cast(key, ctypes.c_void_p))),
                                ctypes.byref(Val(4096, ctypes.cast(value, ctypes.c_void_p))), 0) == 0
        assert lmdb.mdb_txn_commit(txn) == 0
        lmdb.mdb_env_close(env)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}

/// The map cannot move under an open transaction (LMDB unmaps it, and the buffers the
/// transaction handed out would dangle): a transaction begun then, or a write that needs a
/// larger map, throws `mapResized` instead; once the others end, the map moves.
@Suite struct MapResizeTests {
    let first = Array("first".utf8)

    /// Creates the database `t` holding `first` under itself.
    func storeFirst(_ env: Environment) throws -> Database {
        try env.write { txn in
            let db = try txn.openDatabase("t", create: true)
            try txn.put(db, key: first, value: first)
            return db
        }
    }

    /// Calls `body` with the value stored under `first`: a buffer in the memory map.
    func withStoredFirst(_ txn: borrowing Transaction, _ db: Database, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try first.withUnsafeBytes { key in
            try txn.withValue(db, key: key) { value in
                guard let value else { throw LMDBError.notFound }
                try body(value)
            }
        }
    }

    @Test func aMapGrownByAnotherProcessIsAdoptedOnceThisProcessHasNoTransactionOpen() throws {
        try withEnvironment(mapSize: 1 << 20) { env in
            let db = try storeFirst(env)
            try env.read { outer in
                try withStoredFirst(outer, db) { stored in
                    try growInAnotherProcess(env.path)
                    #expect(throws: LMDBError.mapResized) { try env.read { _ in } }
                    #expect(throws: LMDBError.mapResized) { try env.write { _ in } }
                    #expect(Array(stored) == first)  // still mapped
                }
            }
            try env.read { (txn) throws in #expect(try txn.count(db) == 2001) }
            #expect(try env.info().mapSize == 64 << 20)
        }
    }

    @Test func aWriteThatNeedsALargerMapWhileAnotherTransactionIsOpenChangesNothing() throws {
        try withEnvironment(mapSize: 64 << 10) { env in
            let db = try storeFirst(env)
            let value = [UInt8](repeating: 7, count: 1000)
            let fill = { (txn: borrowing Transaction) throws in
                for index in 0..<2000 { try txn.put(db, key: Array("k\(index)".utf8), value: value) }
            }
            try env.read { outer in
                try withStoredFirst(outer, db) { stored in
                    #expect(throws: LMDBError.mapResized) { try env.write(fill) }
                    #expect(Array(stored) == first)
                }
            }
            #expect(try env.info().mapSize == 64 << 10)
            try env.read { (txn) throws in #expect(try txn.count(db) == 1) }
            try env.write(fill)
            try env.read { (txn) throws in #expect(try txn.count(db) == 2001) }
        }
    }
}
