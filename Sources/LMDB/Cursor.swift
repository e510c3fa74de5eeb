internal import CLMDB

/// A position in a database, valid inside the ``Transaction/withCursor(_:_:)`` call that
/// created it. Positioning methods return the entry there, or `nil` past either end.
public struct Cursor: ~Copyable {
    let handle: OpaquePointer
    /// Its transaction's ``MapBounds``.
    private let bounds: MapBounds?
    private let transaction: OpaquePointer

    /// A key and value, pointing into the memory map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    init(transaction: OpaquePointer, database: Database, bounds: MapBounds?) throws(LMDBError) {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(transaction, database.dbi, &cursor), "mdb_cursor_open")
        self.handle = cursor!
        (self.bounds, self.transaction) = (bounds, transaction)
    }

    deinit { mdb_cursor_close(handle) }

    private func get(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "mdb_cursor_get")
        try bounds?.check(k, v, fileSize: { [transaction] in MapBounds.fileSize(of: transaction) }, "mdb_cursor_get")
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Moves to the first entry.
    public func first() throws(LMDBError) -> Entry? { try get(MDB_FIRST) }
    /// Moves to the last entry.
    public func last() throws(LMDBError) -> Entry? { try get(MDB_LAST) }
    /// Moves to the next entry.
    public func next() throws(LMDBError) -> Entry? { try get(MDB_NEXT) }
    /// Moves to the previous entry.
    public func previous() throws(LMDBError) -> Entry? { try get(MDB_PREV) }
    /// Moves to `key` exactly.
    public func find(_ key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? { try get(MDB_SET_KEY, key: key) }
    /// Moves to the first entry whose key is at or after `key`.
    public func seek(_ key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? { try get(MDB_SET_RANGE, key: key) }

    /// Moves to the first entry at or after `key`.
    public func seek(_ key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { try seek($0) }
    }

    /// Stores `value` under `key` through the cursor (write transactions only).
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try LMDBError.check(mdb_cursor_put(handle, &k, &v, flags.rawValue), "mdb_cursor_put")
    }
}
