internal import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`.
///
/// The environment owns its C handle and closes it when released. All access goes
/// through the scoped ``read(_:)`` and ``write(_:)`` methods:
/// ```swift
/// let env = try Environment(path: "/tmp/ledger")
/// let db = try env.write { try $0.openDatabase("events", create: true) }
/// try env.write { txn in try txn.put(db, key: k, value: v) }
/// ```
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    /// The directory of the environment.
    public let path: String
    /// Whether the environment was opened read-only.
    public let isReadOnly: Bool
    /// The transactions of this process, which must all be closed when the map moves.
    let openTransactions = OpenTransactions()

    /// Options for opening an environment.
    public struct Options: Sendable {
        /// The initial map size in bytes; it grows by itself when a write needs more.
        public var mapSize: Int = 1 << 30
        /// The largest map size the environment may grow to.
        public var maxMapSize: Int = 1 << 40
        /// How many named databases may be opened.
        public var maxDatabases: UInt32 = 32
        /// Open without write access (no write transactions are possible).
        public var readOnly = false
        /// The permission bits for new files.
        public var fileMode: UInt32 = 0o600
        /// Skip the fsync at commit (faster, not durable; for tests and benchmarks only).
        public var noSync = false

        public init() {}
    }

    /// The options the environment was opened with; the map size follows growth.
    public private(set) var options: Options

    /// Opens (creating if needed) the environment in the existing directory `path`.
    /// - Throws: ``LMDBError`` when LMDB cannot open it.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        var env: OpaquePointer?
        try LMDBError.check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: 12, operation: "mdb_env_create") }
        do {
            try LMDBError.check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.noSync { flags |= UInt32(MDB_NOSYNC) }
            try LMDBError.check(mdb_env_open(env, path, flags, mdb_mode_t(options.fileMode)), "mdb_env_open")
        } catch {
            mdb_env_close(env)  // required even when mdb_env_open failed
            throw error
        }
        self.handle = env
        self.path = path
        self.isReadOnly = options.readOnly
        self.options = options
        var info = MDB_envinfo()
        if mdb_env_info(env, &info) == 0 { self.options.mapSize = info.me_mapsize }
        _ = try openTransactions.ifNoneOpen { findMapping() }
    }

    deinit { mdb_env_close(handle) }

    /// Runs `body` in a read-only transaction: a consistent snapshot that never blocks writers.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let txn = try begin(readOnly: true)
        let result = try body(txn)
        try txn.commit()
        return result
    }

    /// Runs `body` in a write transaction and commits it; any error aborts it.
    ///
    /// Write transactions are serialised across threads and processes. When the map is
    /// full the transaction is aborted, the map doubled, and `body` run again from the
    /// start, so `body` must be safe to repeat. The map cannot move while another
    /// transaction of this process is open: the write then throws ``LMDBError/mapResized``.
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        while true {
            do {
                let txn = try begin(readOnly: false)
                let result = try body(txn)
                try txn.commit()
                return result
            } catch LMDBError.mapFull {
                try grow()
            }
        }
    }

    /// Doubles the map size, up to ``Options/maxMapSize``.
    /// - Throws: ``LMDBError/mapResized`` when a transaction of this process is open.
    func grow() throws(LMDBError) {
        try moveMap { () throws(LMDBError) in
            let size = options.mapSize * 2
            guard size <= options.maxMapSize else { throw LMDBError(code: MDB_MAP_FULL, operation: "mdb_env_set_mapsize") }
            try LMDBError.check(mdb_env_set_mapsize(handle, size), "mdb_env_set_mapsize")
            options.mapSize = size
        }
    }

    private func begin(readOnly: Bool) throws(LMDBError) -> Transaction {
        do {
            return try Transaction(environment: self, readOnly: readOnly)
        } catch LMDBError.mapResized {
            // Another process grew the map past this one's: adopt its size and try once more.
            try moveMap { () throws(LMDBError) in
                try LMDBError.check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize")
                var info = MDB_envinfo()
                if mdb_env_info(handle, &info) == 0 { options.mapSize = info.me_mapsize }
            }
            return try Transaction(environment: self, readOnly: readOnly)
        }
    }

    /// Runs `resize`, which changes the map's size (LMDB then maps the file afresh), if no
    /// transaction of this process is open: their pointers into the old map would dangle.
    private func moveMap(_ resize: () throws(LMDBError) -> Void) throws(LMDBError) {
        guard try openTransactions.ifNoneOpen({ () throws(LMDBError) -> MappedPages? in
            try resize()
            return findMapping()
        }) else {
            throw LMDBError(code: MDB_MAP_RESIZED, operation: "mdb_env_set_mapsize (other transactions of this process are open)")
        }
    }

    /// Clears reader slots left by processes that died; returns how many were cleared.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try LMDBError.check(mdb_reader_check(handle, &dead), "mdb_reader_check")
        return Int(dead)
    }

    /// Writes a consistent copy of the environment into the existing, empty directory `path`.
    /// With `compact`, free pages are omitted and the copy is renumbered.
    public func copy(to path: String, compact: Bool) throws(LMDBError) {
        let flags = compact ? UInt32(MDB_CP_COMPACT) : 0
        try LMDBError.check(mdb_env_copy2(handle, path, flags), "mdb_env_copy2")
    }

    /// Where the memory map of `data.mdb` is, for dropping its pages from this process's
    /// resident set (see ``MappedPages``), or nil where that is not possible (other systems
    /// than Linux). The map stays there while any transaction of this process is open.
    public func mappedPages() -> MappedPages? {
        openTransactions.currentMapping
    }

    /// Finds where the map is in `/proc/self/maps` (LMDB reports its address only for
    /// `MDB_FIXEDMAP`), by the file's inode and name.
    private func findMapping() -> MappedPages? {
        #if os(Linux)
        var fd: Int32 = -1
        var info = stat()
        guard mdb_env_get_fd(handle, &fd) == 0, fstat(fd, &info) == 0, let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), maps) != nil {
            // start-end perms offset device inode path
            let fields = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, UInt64(fields[4]) == UInt64(info.st_ino), fields[5...].joined(separator: " ").hasSuffix("/data.mdb\n") else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt(String($0), radix: 16) }
            guard bounds.count == 2, bounds[1] > bounds[0] else { continue }
            return MappedPages(start: bounds[0], length: Int(bounds[1] - bounds[0]))
        }
        #endif
        return nil
    }

    /// Flushes buffers to disk.
    public func sync() throws(LMDBError) {
        try LMDBError.check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Size information about the environment.
    public struct Info: Sendable {
        /// The size of the memory map in bytes.
        public var mapSize: Int
        /// The number of pages in use, including free-list pages.
        public var pagesUsed: Int
        /// The page size in bytes.
        public var pageSize: Int
    }

    /// Reports map and page usage.
    public func info() throws(LMDBError) -> Info {
        var info = MDB_envinfo()
        try LMDBError.check(mdb_env_info(handle, &info), "mdb_env_info")
        var stat = MDB_stat()
        try LMDBError.check(mdb_env_stat(handle, &stat), "mdb_env_stat")
        return Info(mapSize: info.me_mapsize, pagesUsed: info.me_last_pgno + 1, pageSize: Int(stat.ms_psize))
    }
}

/// The pages of an environment's memory map, found by ``Environment/mappedPages()``.
public struct MappedPages: Sendable {
    let start: UInt
    let length: Int

    /// Drops the map's pages from this process's resident set. They stay in the operating
    /// system's page cache and are mapped again on the next access, so this is safe at any
    /// moment of the transaction the map was found in: without `MDB_WRITEMAP` the map is
    /// read-only and no data lives only in it. Long transactions call it so that the pages
    /// they merely read do not pile up in their resident memory.
    public func release() {
        #if os(Linux)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), length, MADV_DONTNEED)
        #endif
    }
}
