internal import CLMDB

/// An LMDB transaction. It has a single owner: it is aborted when dropped, and
/// ``commit()`` and ``abort()`` consume it.
///
/// Obtain one through ``Environment/read(_:)`` or ``Environment/write(_:)``. Buffers it
/// hands out point into the memory map and are valid only until the transaction ends
/// or, in a write transaction, until the next write.
public struct Transaction: ~Copyable {
    let handle: OpaquePointer
    /// Whether this is a read-only transaction.
    public let isReadOnly: Bool
    /// The environment's count, which this transaction leaves when it ends. Unretained (a
    /// `discard`ed type holds only trivial values): the environment outlives every
    /// transaction, which exists only inside its ``Environment/read(_:)`` or ``Environment/write(_:)``.
    private let openTransactions: Unmanaged<OpenTransactions>
    /// What the entries it hands out must lie in (nil where that is not known).
    let bounds: MapBounds?

    init(environment: Environment, readOnly: Bool) throws(LMDBError) {
        let mapping = environment.openTransactions.beginning()
        var txn: OpaquePointer?
        let flags = readOnly ? UInt32(MDB_RDONLY) : 0
        let rc = mdb_txn_begin(environment.handle, nil, flags, &txn)
        guard rc == 0, let txn else {
            environment.openTransactions.end()
            throw LMDBError(code: rc, operation: "mdb_txn_begin")
        }
        // Measured once the snapshot is taken: every page it names was written before its
        // meta page, so the file holds them all by then (a write transaction may have waited
        // for others, which grew the file).
        bounds = MapBounds(mapping: mapping, fileSize: MapBounds.fileSize(of: txn))
        self.handle = txn
        self.isReadOnly = readOnly
        self.openTransactions = .passUnretained(environment.openTransactions)
    }

    deinit {
        mdb_txn_abort(handle)
        bounds?.release()
        openTransactions.takeUnretainedValue().end()
    }

    /// Commits the transaction. LMDB frees it whether or not the commit succeeds.
    public consuming func commit() throws(LMDBError) {
        let (handle, openTransactions, bounds) = (self.handle, self.openTransactions, self.bounds)
        discard self  // mdb_txn_commit frees the handle, success or failure: never abort after it
        let rc = mdb_txn_commit(handle)
        bounds?.release()
        openTransactions.takeUnretainedValue().end()
        try LMDBError.check(rc, "mdb_txn_commit")
    }

    /// Abandons every change of the transaction.
    public consuming func abort() {
        let (handle, openTransactions, bounds) = (self.handle, self.openTransactions, self.bounds)
        discard self
        mdb_txn_abort(handle)
        bounds?.release()
        openTransactions.takeUnretainedValue().end()
    }

    /// Opens the named database, creating it when `create` is set (write transactions only).
    /// - Throws: ``LMDBError/notFound`` when it does not exist and `create` is not set.
    ///
    /// Its record in the main database must be the size of LMDB's `MDB_db`: LMDB reads the
    /// first bytes of a damaged one without a word, and a write that replaces it later shifts
    /// the rest of the page by the damaged size, which ruins the page for every later reader.
    public func openDatabase(_ name: String, create: Bool = false) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try LMDBError.check(mdb_dbi_open(handle, name, create ? UInt32(MDB_CREATE) : 0, &dbi), "mdb_dbi_open(\(name))")
        var key = MDB_val(mv_size: name.utf8.count, mv_data: nil), record = MDB_val()
        let rc = name.withCString { text in
            key.mv_data = UnsafeMutableRawPointer(mutating: text)
            return mdb_get(handle, Self.mainDatabase, &key, &record)
        }
        // Not found: a database created in this transaction is recorded at its commit.
        guard rc == MDB_NOTFOUND || (rc == 0 && record.mv_size == Self.databaseRecordSize) else {
            throw LMDBError(code: rc == 0 ? MDB_CORRUPTED : rc, operation: "mdb_dbi_open(\(name)): its record in the main database is damaged")
        }
        return Database(dbi: dbi)
    }

    /// LMDB's main database, which records the named ones (`MAIN_DBI`).
    private static let mainDatabase: MDB_dbi = 1
    /// The size of the record of a named database: LMDB's `MDB_db`, a 32-bit field, two
    /// 16-bit ones, and five of the size of a page number or `size_t`.
    private static let databaseRecordSize = 8 + 5 * MemoryLayout<Int>.size

    /// Calls `body` with the value stored under `key`, or `nil`.
    public func withValue<R>(_ db: Database, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(handle, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return try body(nil) }
        try LMDBError.check(rc, "mdb_get")
        try bounds?.check(k, v, fileSize: { MapBounds.fileSize(of: handle) }, "mdb_get")
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// The value stored under `key`, copied, or `nil`.
    public func get(_ db: Database, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in try withValue(db, key: k) { $0.map(Array.init) } }
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try LMDBError.check(mdb_put(handle, db.dbi, &k, &v, flags.rawValue), "mdb_put")
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(db, key: k, value: v, flags: flags) }
        }
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { kb -> Bool in
            var k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
            let rc = mdb_del(handle, db.dbi, &k, nil)
            if rc == MDB_NOTFOUND { return false }
            try LMDBError.check(rc, "mdb_del")
            return true
        }
    }

    /// Removes every key of `db`, keeping the database.
    public func clear(_ db: Database) throws(LMDBError) {
        try LMDBError.check(mdb_drop(handle, db.dbi, 0), "mdb_drop")
    }

    /// The number of entries in `db`.
    public func count(_ db: Database) throws(LMDBError) -> Int {
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(handle, db.dbi, &stat), "mdb_stat")
        return stat.ms_entries
    }

    /// Runs `body` with a cursor over `db`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ db: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        let cursor = try Cursor(transaction: handle, database: db, bounds: bounds)
        return try body(cursor)
    }
}
