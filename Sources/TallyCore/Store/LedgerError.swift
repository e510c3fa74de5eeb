public import LMDB

/// Why a ledger operation failed. The CLI turns these into messages and exit codes.
public enum LedgerError: Error, Sendable, CustomStringConvertible {
    /// An event was refused; `line` is its 1-based line in an import file.
    case refused(line: Int?, Refusal)
    /// No ledger exists at the path.
    case notFound(path: String)
    /// The member appears nowhere in the log (up to `atSeq`).
    case memberNotFound(String, atSeq: UInt64?)
    /// The directory holds something that is not a Tally ledger.
    case notALedger(path: String, reason: String)
    /// The ledger was written by a newer format than this build understands.
    case formatTooNew(found: UInt32, supported: UInt32)
    /// A stored value cannot be decoded.
    case corrupted(seq: UInt64?, reason: String)
    /// An input file could not be read.
    case io(path: String, reason: String)
    /// The ledger cannot grow; the write was abandoned.
    case full(reason: String)
    /// The memory map had to move while another transaction of this process was open,
    /// because another process grew the ledger past it or a write needed more room. Nothing
    /// was written; the same operation succeeds once the other transactions end.
    case interrupted(reason: String)
    /// LMDB failed.
    case storage(LMDBError)

    /// The ledger error for an LMDB failure.
    init(_ error: LMDBError) {
        self = error == .mapResized
            ? .interrupted(reason: "the ledger's memory map had to move to a new size while other work of this process was reading it")
            : .storage(error)
    }

    public var description: String {
        switch self {
        case let .refused(line, refusal): "\(line.map { "line \($0): " } ?? "")refused: \(refusal)"
        case let .memberNotFound(member, atSeq): "no member \"\(member)\" in the ledger\(atSeq.map { " as of seq \($0)" } ?? "")"
        case let .notFound(path): "no ledger at \(path) (create one with `tally import` or `tally append`)"
        case let .notALedger(path, reason): "\(path) is not a Tally ledger: \(reason)"
        case let .formatTooNew(found, supported): "the ledger has format version \(found), newer than this tally supports (\(supported)); upgrade tally"
        case let .corrupted(seq, reason): "corrupted ledger\(seq.map { " at seq \($0)" } ?? ""): \(reason)"
        case let .io(path, reason): "\(path): \(reason)"
        case let .full(reason): "the ledger is full: \(reason); nothing was written"
        case let .interrupted(reason): "interrupted: \(reason); nothing was written, run it again"
        case let .storage(error): "storage error: \(error)"
        }
    }
}
