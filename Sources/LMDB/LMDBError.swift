internal import CLMDB

/// An error reported by LMDB: the return code and the operation that produced it.
///
/// Errors compare equal when their codes are equal, so `catch` can match the constants:
/// ```swift
/// do { try txn.put(db, key: k, value: v) } catch LMDBError.mapFull { … }
/// ```
public struct LMDBError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The LMDB (or errno) return code.
    public let code: Int32
    /// The C function that failed, such as `"mdb_put"`.
    public let operation: String

    /// Creates an error for `code` raised by `operation`.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// LMDB's own text for the code.
    public var message: String { String(cString: mdb_strerror(code)) }

    public var description: String { "\(operation): \(message)" }

    /// Throws unless `rc` is `MDB_SUCCESS`.
    @inlinable
    public static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if rc != 0 { throw LMDBError(code: rc, operation: operation()) }
    }

    /// Errors are equal when their codes are, whatever the operation.
    public static func == (lhs: LMDBError, rhs: LMDBError) -> Bool { lhs.code == rhs.code }

    /// Matches any error whose LMDB code equals the pattern's: `catch LMDBError.mapFull`.
    public static func ~= (pattern: LMDBError, value: any Error) -> Bool {
        (value as? LMDBError)?.code == pattern.code
    }

    /// The key was not found (`MDB_NOTFOUND`).
    public static let notFound = LMDBError(code: MDB_NOTFOUND, operation: "")
    /// The key already exists and `noOverwrite` was given (`MDB_KEYEXIST`).
    public static let keyExists = LMDBError(code: MDB_KEYEXIST, operation: "")
    /// The memory map is full (`MDB_MAP_FULL`).
    public static let mapFull = LMDBError(code: MDB_MAP_FULL, operation: "")
    /// The map has to move to a new size, because another process grew it beyond this
    /// one's or a write needs more room, while other transactions of this process are open
    /// (`MDB_MAP_RESIZED`). Once they end, the same operation succeeds.
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED, operation: "")
    /// The reader table is full (`MDB_READERS_FULL`).
    public static let readersFull = LMDBError(code: MDB_READERS_FULL, operation: "")
    /// The transaction has too many dirty pages (`MDB_TXN_FULL`).
    public static let transactionFull = LMDBError(code: MDB_TXN_FULL, operation: "")
    /// The file is not an LMDB file, or of another version (`MDB_INVALID`, `MDB_VERSION_MISMATCH`).
    public static let invalid = LMDBError(code: MDB_INVALID, operation: "")
    /// A page or the file is corrupted (`MDB_CORRUPTED`).
    public static let corrupted = LMDBError(code: MDB_CORRUPTED, operation: "")
}
