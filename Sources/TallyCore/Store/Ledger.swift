internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Tally ledger: one LMDB environment holding the hash-chained event log, its indexes
/// and the stored projections.
///
/// ```swift
/// let ledger = try Ledger(path: "tally.db", create: true)
/// let outcome = try ledger.append(event)
/// ```
/// Several processes may use one ledger at once: writes are serialised by LMDB, and
/// readers see consistent snapshots and never block writers.
public final class Ledger: @unchecked Sendable {
    /// The ledger's directory.
    public let path: String
    let environment: Environment
    let schema: Schema
    /// The rules the stored projections are kept under unless the ledger adopted others
    /// (see ``storedRules(_:)``): the built-in ones; nil keeps none.
    let builtInRules: Rules?

    /// Options for opening a ledger.
    public struct Options: Sendable {
        /// Create the ledger when it does not exist.
        public var create = false
        /// Give the owner's group read and write access to a ledger this call creates
        /// (directory 2770, files 0660); otherwise it is the owner's alone (0700, 0600).
        public var sharedGroup = false
        /// Skip fsync at commit: faster and not durable. For tests and benchmarks only.
        public var noSync = false
        /// The initial map size in bytes (address space, not disk). It doubles by itself
        /// whenever a write needs more, up to 1 TiB.
        public var mapSize = 64 << 30
        /// The largest the map may grow to: the most the ledger may hold.
        public var maxMapSize = 1 << 40
        /// The built-in rules of the build that opens the ledger; nil keeps no stored
        /// projections, as a build before them did (for tests).
        var builtInRules: Rules? = .builtIn

        public init(create: Bool = false, sharedGroup: Bool = false, noSync: Bool = false, mapSize: Int = 64 << 30, maxMapSize: Int = 1 << 40) {
            self.create = create
            self.sharedGroup = sharedGroup
            self.noSync = noSync
            self.mapSize = mapSize
            self.maxMapSize = maxMapSize
        }
    }

    /// Opens the ledger at `path`.
    /// - Throws: ``LedgerError`` when there is none (and `create` is not set), when it is
    ///   not a ledger, or when its format is newer than this build.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.builtInRules = options.builtInRules
        let creating = try Self.prepareDirectory(path, options: options)
        environment = try Self.openEnvironment(path, options: options)
        if creating { Self.setPermissions(path, sharedGroup: options.sharedGroup) }
        schema = try Self.openSchema(environment, path: path)
    }

    /// Sets the modes of a new ledger exactly, whatever the umask.
    private static func setPermissions(_ path: String, sharedGroup: Bool) {
        chmod(path, sharedGroup ? 0o2770 : 0o700)
        for file in ["data.mdb", "lock.mdb"] { chmod(path + "/" + file, sharedGroup ? 0o660 : 0o600) }
    }

    /// Checks the ledger directory, creating it when asked; returns whether it created it.
    private static func prepareDirectory(_ path: String, options: Options) throws -> Bool {
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == ENOENT, options.create else {
                throw errno == ENOENT ? LedgerError.notFound(path: path) : LedgerError.io(path: path, reason: String(cString: strerror(errno)))
            }
            let mode: mode_t = options.sharedGroup ? 0o2770 : 0o700
            guard mkdir(path, mode) == 0 else {
                if errno == EEXIST { return false }  // another process created it meanwhile
                throw LedgerError.io(path: path, reason: "cannot create the ledger directory: \(String(cString: strerror(errno)))")
            }
            return true
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw LedgerError.notALedger(path: path, reason: "it is not a directory")
        } else if !options.create, stat(path + "/data.mdb", &info) != 0 {
            throw errno == ENOENT ? LedgerError.notFound(path: path) : LedgerError.io(path: path, reason: String(cString: strerror(errno)))
        }
        return false
    }

    /// Refuses a `data.mdb` shorter than the pages its meta page says are in use: LMDB
    /// would fault (SIGBUS) reading past the end of the mapping.
    private static func checkFileLength(_ environment: Environment, path: String) throws {
        var info = stat()
        guard stat(path + "/data.mdb", &info) == 0, let usage = try? environment.info() else { return }
        let needed = usage.pagesUsed * usage.pageSize
        if Int(info.st_size) < needed {
            throw LedgerError.corrupted(seq: nil, reason: "data.mdb is truncated: \(info.st_size) bytes, but its pages in use need \(needed); restore it from a backup")
        }
    }

    private static func openEnvironment(_ path: String, options: Options) throws -> Environment {
        var envOptions = Environment.Options()
        envOptions.mapSize = options.mapSize
        envOptions.maxMapSize = max(options.maxMapSize, options.mapSize)
        envOptions.fileMode = options.sharedGroup ? 0o660 : 0o600
        envOptions.noSync = options.noSync
        do {
            let environment = try Environment(path: path, options: envOptions)
            try checkFileLength(environment, path: path)
            try environment.clearStaleReaders()
            return environment
        } catch let error as LMDBError {
            throw describeOpenFailure(error, path: path)
        }
    }

    private static func describeOpenFailure(_ error: LMDBError, path: String) -> LedgerError {
        switch error.code {
        case EACCES, EROFS: .io(path: path, reason: "permission denied (even reading needs write access to lock.mdb)")
        case LMDBError.invalid.code, LMDBError.corrupted.code, -30794 /* MDB_VERSION_MISMATCH */:
            .notALedger(path: path, reason: error.message)
        default: .storage(error)
        }
    }

    private static func openSchema(_ environment: Environment, path: String) throws -> Schema {
        let existing: Schema? = try environment.read { txn in
            do {
                let schema = try Schema(txn, create: false)
                try checkFormat(schema, txn, path: path)
                return schema
            } catch LMDBError.notFound {
                return nil
            }
        }
        if let existing { return existing }
        return try environment.write { txn in
            let schema = try Schema(txn, create: true)
            if try txn.get(schema.meta, key: Schema.formatKey) == nil {
                guard try txn.count(schema.events) == 0 else {
                    throw LedgerError.notALedger(path: path, reason: "events without a format record")
                }
                try txn.put(schema.meta, key: Schema.formatKey, value: Array(ByteWriter.key(UInt64(Schema.formatVersion)).suffix(4)))
            }
            try checkFormat(schema, txn, path: path)
            return schema
        }
    }

    private static func checkFormat(_ schema: Schema, _ txn: borrowing Transaction, path: String) throws {
        guard let bytes = try txn.get(schema.meta, key: Schema.formatKey) else { throw LMDBError.notFound }
        guard bytes.count == 4 else { throw LedgerError.notALedger(path: path, reason: "unreadable format record") }
        let version = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if version > Schema.formatVersion { throw LedgerError.formatTooNew(found: version, supported: Schema.formatVersion) }
    }

    /// Runs `body` in a read transaction, mapping LMDB failures to ``LedgerError``.
    func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        do { return try environment.read(body) } catch let error as LMDBError { throw LedgerError(error) }
    }

    /// Runs `body` in a write transaction, mapping LMDB failures to ``LedgerError``.
    func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        do {
            return try environment.write(body)
        } catch LMDBError.mapFull {
            throw LedgerError.full(reason: "it reached its size limit of \(environment.options.maxMapSize) bytes")
        } catch let error as LMDBError where error.code == ENOSPC {
            throw LedgerError.full(reason: "the disk is full")
        } catch let error as LMDBError {
            throw LedgerError(error)
        }
    }

    /// Runs `body` in a write transaction that is then aborted, never committed: it does
    /// everything a write would, and the ledger is left as it was.
    func rehearse<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        var result: R?
        do {
            try write { txn in
                result = try body(txn)
                throw Rehearsed()
            }
        } catch is Rehearsed {}
        return result!
    }

    /// Thrown to abort the transaction of ``rehearse(_:)``.
    private struct Rehearsed: Error {}

    /// Appends one event (or recognises it as a duplicate) in its own transaction.
    /// - Parameter timeIsDefaulted: the event's time was not given but set to now, as
    ///   `tally append` does: a stored event with its id is then a duplicate whatever its
    ///   time, so that repeating such an append is safe.
    /// - Throws: ``LedgerError/refused(line:_:)`` when it is refused; nothing is written.
    @discardableResult
    public func append(_ event: Event, timeIsDefaulted: Bool = false) throws -> AppendOutcome {
        try write { txn in
            let session = try AppendSession(schema: schema, txn, storedRules: try storedRules(txn))
            let outcome: AppendSession.Outcome
            do {
                outcome = try session.append(event, timeIsDefaulted: timeIsDefaulted, txn)
            } catch let refusal as Refusal {
                throw LedgerError.refused(line: nil, refusal)
            }
            try session.finish(txn)
            switch outcome {
            case .appended(let seq): return .appended(seq: seq)
            case .duplicate(let seq): return .duplicate(seq: seq)
            }
        }
    }

    /// The last `seq`, 0 for an empty ledger.
    public func lastSeq() throws -> UInt64 {
        try read { txn in try Self.lastSeq(schema, txn) }
    }

    static func lastSeq(_ schema: Schema, _ txn: borrowing Transaction) throws -> UInt64 {
        try txn.withCursor(schema.events) { cursor in try cursor.last().flatMap { ByteReader.uint64($0.key) } ?? 0 }
    }

    /// The stored event at `seq`, if any.
    public func event(at seq: UInt64) throws -> StoredEvent? {
        try read { txn in try schema.storedEvent(at: seq, txn) }
    }

    /// Writes a consistent, compacted copy of the ledger into the directory `destination`,
    /// which must not exist yet. Writers may run meanwhile.
    public func backup(to destination: String) throws {
        guard mkdir(destination, 0o700) == 0 else {
            throw LedgerError.io(path: destination, reason: String(cString: strerror(errno)))
        }
        do {
            try environment.copy(to: destination, compact: true)
        } catch {
            for file in ["data.mdb", "lock.mdb"] { unlink(destination + "/" + file) }
            rmdir(destination)
            throw LedgerError.storage(error)
        }
    }
}

/// What became of an appended event.
public enum AppendOutcome: Sendable, Equatable {
    /// Appended at `seq`.
    case appended(seq: UInt64)
    /// Already present at `seq` with the same content: not appended again.
    case duplicate(seq: UInt64)

    /// The event's position either way.
    public var seq: UInt64 {
        switch self {
        case .appended(let seq), .duplicate(let seq): seq
        }
    }
}
