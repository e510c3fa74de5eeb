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

    /// How many jobs of lines are written at once, by as many threads as come: 2 for a range,
    /// read in order, whose jobs are long; 8 for seqs from an index, each a B-tree look-up,
    /// so that a query's second thread, woken late, still finds jobs left to take.
    var jobsAtOnce: Int {
        switch self {
        case .range: 2
        case .seqs: 8
        }
    }

    /// The most records whose lines one round of jobs writes: 8,192 for a range (about 2 MB of
    /// lines for the standard mix); 2,048 for seqs from an index, since each look-up maps
    /// about 30 KB of the file into the resident set (the kernel maps the pages around a
    /// faulting one, 64 KB), and pages are released only between rounds.
    var recordsPerRound: Int {
        switch self {
        case .range: 1 << 13
        case .seqs: 1 << 11
        }
    }

    /// How many records a long read of this kind reads between releases of the pages it read:
    /// 65,536 for a range (about 16 MB of pages); for seqs from an index, every round.
    var recordsBetweenReleases: Int {
        switch self {
        case .range: 1 << 16
        case .seqs: recordsPerRound
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
