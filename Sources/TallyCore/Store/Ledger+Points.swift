internal import LMDB

extension Ledger {
    /// The points awarded per reason and redeemed per reward, by the events up to `atSeq`
    /// (the head when nil) whose `time` falls on the UTC days `days` (any day when nil) and
    /// that `actor` made (anyone's when nil): the awards a staff member paid, say.
    /// `flagged` holds the seqs of the awards the audit flagged, under the rules in force.
    /// The pages read are dropped from memory every 2,048 records (``PageReleaser``).
    public func pointsFlows(days: ClosedRange<Int64>? = nil, by actor: String? = nil, atSeq: UInt64? = nil, flagged: Set<UInt64>) throws -> PointsFlows {
        try read { txn in
            var reasons: [ExactString: PointsFlows.Reason] = [:], rewards: [ExactString: PointsFlows.Reward] = [:]
            let pages = PageReleaser(pages: environment.mappedPages())
            for type in [EventType.pointsAward, .pointsRedeemed] {
                let seqs = try seqs(of: type, by: actor, to: nil, days: days, atSeq: atSeq, txn)
                try forEachRecord(in: .seqs(seqs[...]), matching: nil, txn) { seq, record in
                    pages.tick()
                    let event: RecordView
                    do { event = try RecordView(record: record) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
                    let points = event.integer("points") ?? 0
                    if type == .pointsAward {
                        let reason = event.string("reason") ?? ""
                        let isFlagged = flagged.contains(seq)
                        reasons[ExactString(reason), default: .init(reason: reason, awards: 0, points: 0, flagged: 0, flaggedPoints: 0)]
                            .add(points, flagged: isFlagged)
                    } else {
                        let reward = event.string("reward") ?? ""
                        rewards[ExactString(reward), default: .init(reward: reward, redemptions: 0, points: 0)].add(points)
                    }
                    return true
                }
            }
            return PointsFlows(reasons: reasons.values.sorted(byBytesOf: \.reason), rewards: rewards.values.sorted(byBytesOf: \.reward))
        }
    }
}

extension PointsFlows.Reason {
    fileprivate mutating func add(_ points: Int64, flagged isFlagged: Bool) {
        awards += 1
        self.points &+= points
        if isFlagged {
            flagged += 1
            flaggedPoints &+= points
        }
    }
}

extension PointsFlows.Reward {
    fileprivate mutating func add(_ points: Int64) {
        redemptions += 1
        self.points &+= points
    }
}
