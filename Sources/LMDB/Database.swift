internal import CLMDB

/// A handle to a named database inside an ``Environment``.
///
/// Handles are opened once with ``Transaction/openDatabase(_:create:)`` and stay valid for
/// the environment's life.
public struct Database: Sendable, Hashable {
    let dbi: MDB_dbi

    /// The handle's number: small, and distinct per database of an environment, for tables
    /// indexed by database.
    public var number: Int { Int(dbi) }
}

/// Flags for ``Transaction/put(_:key:value:flags:)``.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with ``LMDBError/keyExists`` rather than overwrite.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every key in the database: a fast append.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}
