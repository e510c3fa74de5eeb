internal import LMDB

extension Ledger {
    /// Every member up to `atSeq` (the head when nil): every actor and every member awarded
    /// points (CONTRACT.md section 5), with its activity, by member in byte order.
    ///
    /// Read from the actor and member indexes (the seqs of each member's events), the type
    /// index (the `member_joined` events) and the records of each member's first and last
    /// event: no scan of the log. The pages read are dropped from memory every 2,048 records.
    public func memberActivity(atSeq: UInt64? = nil) throws -> [MemberActivity] {
        try read { txn in
            let last = atSeq ?? .max
            var members: [MemberActivity] = [], index: [ExactString: Int] = [:]
            var seen: [(first: UInt64, last: UInt64)] = []
            func member(_ name: String) -> Int {
                if let found = index[ExactString(name)] { return found }
                index[ExactString(name)] = members.count
                members.append(MemberActivity(member: name, firstSeen: nil, lastSeen: nil, events: 0, role: nil, channels: []))
                seen.append((0, 0))
                return members.count - 1
            }
            try forEachKey(of: .actor, upTo: last, txn) { name, seqs in
                let at = member(name)
                members[at].events = seqs.count
                seen[at] = (seqs.first, seqs.last)
            }
            try forEachKey(of: .member, upTo: last, txn) { name, _ in _ = member(name) }
            let pages = PageReleaser(pages: environment.mappedPages())
            try forEachJoin(upTo: last, pages: pages, txn) { event in
                let at = member(event.actorName)
                if let role = event.string("role") { members[at].role = role }
                if let channel = event.string("channel"), !members[at].channels.contains(where: channel.isExactly) {
                    members[at].channels.append(channel)
                }
            }
            for at in members.indices where members[at].events > 0 {
                pages.tick()
                members[at].firstSeen = try schema.recordView(at: seen[at].first, txn)?.time
                members[at].lastSeen = try schema.recordView(at: seen[at].last, txn)?.time
            }
            return members.sorted(byBytesOf: \.member)
        }
    }

    /// The role of each member's latest `member_joined` that gave one, up to `atSeq` (the
    /// head when nil).
    public func memberRoles(atSeq: UInt64? = nil) throws -> TextByID {
        try read { txn in
            var roles = TextByID()
            try forEachJoin(upTo: atSeq ?? .max, pages: PageReleaser(pages: environment.mappedPages()), txn) { event in
                if let role = event.string("role") { roles.byID[ExactString(event.actorName)] = role }
            }
            return roles
        }
    }

    /// Calls `body` with each `member_joined` event up to `last`, in seq order, found through
    /// the type index.
    private func forEachJoin(upTo last: UInt64, pages: PageReleaser, _ txn: borrowing Transaction, _ body: (RecordView) throws -> Void) throws {
        for seq in try PostingIndex.seqs(for: [EventType.memberJoined.code], in: schema.postings[.type]!, txn) where seq <= last {
            pages.tick()
            if let event = try schema.recordView(at: seq, txn) { try body(event) }
        }
    }

    /// Calls `body` with each key of a posting index that has seqs up to `last`, and how
    /// many it has, its first and its last.
    private func forEachKey(
        of kind: PostingIndex.Kind, upTo last: UInt64, _ txn: borrowing Transaction,
        _ body: (String, (count: Int, first: UInt64, last: UInt64)) throws -> Void
    ) throws {
        var current: [UInt8] = [], count = 0, first: UInt64 = 0, latest: UInt64 = 0
        func finish() throws {
            if count > 0, let name = current.withUnsafeBytes(UTF8Validation.string) { try body(name, (count, first, latest)) }
            count = 0
        }
        try forEachPostingBlock(of: kind, txn) { name, key, value in
            if !name.elementsEqual(current) {
                try finish()
                current = Array(name)
            }
            try PostingIndex.decodeBlock(key: key, value: value) { seq in
                guard seq <= last else { return }
                if count == 0 { first = seq }
                count += 1
                latest = seq
            }
        }
        try finish()
    }
}
