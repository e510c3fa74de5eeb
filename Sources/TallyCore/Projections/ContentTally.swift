/// Adds up the `post`, `reply` and `vote` events of a log, given in seq order, into
/// ``ContentLine``s, a line per post, as the engagement rules count them: a reply counts when
/// what it answers was known before it (asked before the reply itself is known: it may name
/// itself), and joins the thread of what it answers; a vote counts when its target was known
/// before it and is not the voter's own, and only the latest counting vote of a voter on a
/// target stands.
struct ContentTally {
    /// A post or reply: who wrote it, and the post at the root of its thread.
    private struct Content {
        var author: Int32
        /// The index in ``lines`` of the thread's post; -1 for a reply outside any thread
        /// (to something unknown when it was made).
        var line: Int32
        var isPost: Bool
    }

    /// Post and reply ids, interned in the order they appear: the index of each in ``contents``.
    private var contentIDs = Interner()
    private var contents: [Content] = []
    private var members = Interner()
    private var lines: [ContentLine] = []
    /// Line index ‖ member of each counted reply: a member replying twice is one replier.
    private var repliers: Set<UInt64> = []
    /// Voter ‖ target → the value of the voter's latest counting vote on it.
    private var latestVotes: [UInt64: Int8] = [:]

    /// Adds `event`, a `post`, `reply` or `vote`; other events are ignored.
    mutating func add(_ event: RecordView) {
        switch event.type {
        case .post: post(event)
        case .reply: reply(event)
        case .vote: vote(event)
        default: break
        }
    }

    private mutating func post(_ event: RecordView) {
        guard let id = event.bytes("post"), contentIDs.id(of: id) == nil, let post = event.string("post") else { return }
        let author = members.intern(event.actor).id
        _ = contentIDs.intern(id)
        contents.append(Content(author: author, line: Int32(lines.count), isPost: true))
        lines.append(ContentLine(post: post, seq: event.seq, author: event.actorName, postedAt: event.time, channel: event.string("channel"),
                                 kind: event.string("kind"), title: event.string("title"), replies: 0, repliers: 0, upvotes: 0, downvotes: 0))
    }

    private mutating func reply(_ event: RecordView) {
        guard let id = event.bytes("reply"), let parentID = event.bytes("post") else { return }
        let parent = contentIDs.id(of: parentID).map { contents[Int($0)] }
        let author = members.intern(event.actor).id
        if let line = parent?.line, line >= 0 {
            lines[Int(line)].replies += 1
            if repliers.insert(UInt64(UInt32(line)) << 32 | UInt64(UInt32(author))).inserted { lines[Int(line)].repliers += 1 }
        }
        guard contentIDs.intern(id).isNew else { return }
        contents.append(Content(author: author, line: parent?.line ?? -1, isPost: false))
    }

    private mutating func vote(_ event: RecordView) {
        guard let targetID = event.bytes("target"), let value = event.integer("value"), let target = contentIDs.id(of: targetID) else { return }
        let voter = members.intern(event.actor).id
        guard contents[Int(target)].author != voter else { return }
        latestVotes[UInt64(UInt32(voter)) << 32 | UInt64(UInt32(target))] = Int8(clamping: value)
    }

    /// A line per post, in seq order.
    func results() -> [ContentLine] {
        var lines = lines
        for (key, value) in latestVotes where value != 0 {
            let target = contents[Int(UInt32(truncatingIfNeeded: key))]
            guard target.isPost else { continue }
            if value > 0 { lines[Int(target.line)].upvotes += 1 } else { lines[Int(target.line)].downvotes += 1 }
        }
        return lines
    }
}
