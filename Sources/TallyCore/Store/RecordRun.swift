/// Records of the log to read, in seq order: a range of seqs (a scan) or the seqs an index
/// gave (look-ups).
enum RecordRun {
    case range(ClosedRange<UInt64>)
    case seqs(ArraySlice<UInt64>)

    /// The run of the first `size` seqs (at least one), and the run of the others, if any.
    func split(first size: Int) -> (head: RecordRun, tail: RecordRun?) {
        let size = max(1, size)
        switch self {
        case .range(let range):
            guard range.upperBound - range.lowerBound >= UInt64(size) else { return (self, nil) }
            let end = range.lowerBound + UInt64(size)
            return (.range(range.lowerBound...end - 1), .range(end...range.upperBound))
        case .seqs(let seqs):
            guard seqs.count > size else { return (self, nil) }
            let end = seqs.startIndex + size
            return (.seqs(seqs[..<end]), .seqs(seqs[end...]))
        }
    }

    /// The part of this run after `seq`, if any.
    func after(_ seq: UInt64) -> RecordRun? {
        switch self {
        case .range(let range):
            seq < range.upperBound ? .range(max(range.lowerBound, seq + 1)...range.upperBound) : nil
        case .seqs(let seqs):
            seqs.firstIndex { $0 > seq }.map { .seqs(seqs[$0...]) }
        }
    }

    /// How many jobs (of up to 4,096 records) a long read of this kind lets pass between
    /// releases of the pages it read: 16 for a range (65,536 records, about 16 MB of pages),
    /// 4 for seqs from an index, which may each lie on a page of their own.
    var jobsBetweenReleases: Int {
        switch self {
        case .range: 16
        case .seqs: 4
        }
    }

    /// The number of seqs the run names (a range may hold fewer records, if the log has gaps).
    var count: Int {
        switch self {
        case .range(let range):
            range.upperBound - range.lowerBound < UInt64(Int.max) ? Int(range.upperBound - range.lowerBound) + 1 : Int.max
        case .seqs(let seqs): seqs.count
        }
    }
}
