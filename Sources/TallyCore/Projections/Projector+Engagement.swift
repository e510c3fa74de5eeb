internal import LMDB

/// Engagement: credits for posts, replies, votes and correct quiz answers, summed per
/// member and UTC day under the daily cap (CONTRACT.md section 5, `engagement.toml`).
extension Projector {
    /// A counted vote, packed into 17 bytes: the latest-vote table holds hundreds of thousands.
    struct Vote {
        var seq: UInt64
        var author: Int32
        private var dayNumber: Int32
        private var direction: Int8

        init(value: Int64, day: Int64, author: Int32, seq: UInt64) {
            (self.seq, self.author) = (seq, author)
            dayNumber = Int32(truncatingIfNeeded: day)  // days of years 0000–9999 fit
            direction = Int8(clamping: value)  // 1, -1 or 0
        }

        var value: Int64 { Int64(direction) }
        var day: Int64 { Int64(dayNumber) }
    }

    struct Quiz {
        /// Question id → the right answer.
        var key: [ExactString: String]
        var closes: Timestamp?
    }

    /// The first answer of a member to a quiz question: only it can count.
    struct Answer {
        var seq: UInt64
        /// Whether it counted (the quiz and question known, in time) and matched the key.
        var counted: Bool
        var correct: Bool
    }

    struct DayCredit {
        var positive: Int64 = 0
        var negative: Int64 = 0

        /// What the day adds to the score: the positive credit up to `cap` (0: no cap), plus
        /// the negative credit.
        func contribution(cap: Int64) -> Int64 {
            (cap > 0 ? min(cap, positive) : positive) &+ negative
        }
    }

    /// The engagement rule that gave a credit.
    public enum CreditRule: String, Sendable {
        case post, reply
        case voteCast = "vote_cast"
        case upvoteReceived = "upvote_received"
        case downvoteReceived = "downvote_received"
        case quizCorrect = "quiz_correct"
    }

    /// Reads, all at once, the day-credit and latest-vote slots that applying `events` in
    /// memory will look up, so that their cache misses overlap (``Interner/readSlots(_:)``).
    /// A replay's two largest tables lie all over memory, and looked up one event at a time
    /// each waits for its own miss. Only a hint: a slot it leaves out or reads needlessly
    /// costs time, never a different result.
    func readAhead(_ events: some Sequence<(event: RecordView, names: Names)>) {
        var days: [Int] = [], votes: [Int] = []
        func day(_ member: Int32, _ event: RecordView) {
            days.append(dayCredit.slotIndex(of: Self.key(member, Int32(truncatingIfNeeded: event.time.day))))
        }
        for (event, names) in events {
            switch event.type {
            case .post, .reply, .quizAnswer: day(names.actor, event)
            case .vote:
                guard let target = names.content else { continue }
                votes.append(latestVote.slotIndex(of: Self.key(names.actor, target)))
                day(names.actor, event)
                if Int(target) < contentAuthor.count, contentAuthor[Int(target)] >= 0 { day(contentAuthor[Int(target)], event) }
            default: continue
            }
        }
        readAheadChecksum = dayCredit.readSlots(days) &+ latestVote.readSlots(votes)
    }

    /// Adds (or, with `sign` -1, takes back) `amount` of credit for `member` on `day`.
    func credit(
        _ member: Int32, day: Int64, amount: Int64, rule: CreditRule, seq: UInt64, sign: Int64 = 1, _ txn: borrowing Transaction
    ) throws {
        guard amount != 0 else { return }
        let key = Self.key(member, Int32(truncatingIfNeeded: day))
        if !holdsEverything, dayCredit[key] == nil, let stored = try store!.dayCredit(members.string(member), day: day, txn) {
            dayCredit[key] = stored
        }
        let cap = rules.engagement.dailyCap
        let change: Int64 = dayCredit.update(key, default: DayCredit()) { credit in
            let before = credit.contribution(cap: cap)
            if amount > 0 { credit.positive &+= sign &* amount } else { credit.negative &+= sign &* amount }
            return credit.contribution(cap: cap) &- before
        }
        score[Int(member)] &+= change
        if member == trace?.member { trace!.record(seq: seq, day: day, rule: rule, amount: amount, withdrawn: sign < 0) }
    }

    /// - Parameters:
    ///   - content: the post or reply, interned.
    ///   - parent: for a reply, the post or reply it answers, interned.
    func applyContent(_ event: RecordView, actor: Int32, content: Int32?, parent: Int32?, _ txn: borrowing Transaction) throws {
        let isPost = event.type == .post
        // A reply to content unknown when it is appended earns nothing (CONTRACT.md section 2),
        // as a vote on it does not; asked before the reply itself is known (it may name itself).
        var earns = isPost
        if !isPost, let parent { earns = try author(of: parent, before: event.seq, txn) != nil }
        // Post and reply ids are unique: the ledger refuses a second one.
        if let content, contentAuthor[Int(content)] < 0 { contentAuthor[Int(content)] = actor }
        guard earns else {
            trace?.note(event.seq, .replyToUnknown, for: actor)
            return
        }
        let weights = rules.engagement
        try credit(actor, day: event.time.day, amount: isPost ? weights.post : weights.reply, rule: isPost ? .post : .reply,
                   seq: event.seq, txn)
        updateTier(actor, event)
    }

    /// The author of post or reply `content` if it was created before `seq`.
    private func author(of content: Int32, before seq: UInt64, _ txn: borrowing Transaction) throws -> Int32? {
        let known = contentAuthor[Int(content)]
        if known >= 0 { return known }
        guard !holdsEverything, let name = try store!.author(of: contents.string(content), before: seq, txn) else { return nil }
        let author = try member(name, txn)
        contentAuthor[Int(content)] = author
        return author
    }

    /// - Parameter target: the post or reply voted on, interned.
    func applyVote(_ event: RecordView, voter: Int32, target: Int32?, _ txn: borrowing Transaction) throws {
        guard let content = target, let value = event.integer("value") else { return }
        // A vote on an unknown target, or a self-vote, is ignored entirely.
        guard let author = try author(of: content, before: event.seq, txn) else {
            trace?.note(event.seq, .unknownTarget, for: voter)
            return
        }
        guard author != voter else {
            trace?.note(event.seq, .selfVote, for: voter)
            return
        }
        let key = Self.key(voter, content)
        if let previous = try latestVote(key, voter: voter, content: content, txn) {
            try creditVote(previous, voter: voter, sign: -1, txn)
            trace?.note(previous.seq, .superseded, by: event.seq, for: voter, author)
        }
        if value == 0 { trace?.note(event.seq, .retracted, for: voter, author) }
        let vote = Vote(value: value, day: event.time.day, author: author, seq: event.seq)
        latestVote[key] = vote
        try creditVote(vote, voter: voter, sign: 1, txn)
        updateTier(voter, event)
        updateTier(author, event)
    }

    private func latestVote(_ key: UInt64, voter: Int32, content: Int32, _ txn: borrowing Transaction) throws -> Vote? {
        if let vote = latestVote[key] { return vote }
        guard !holdsEverything, let stored = try store!.vote(voter: members.string(voter), target: contents.string(content), txn) else {
            return nil
        }
        return Vote(value: stored.value, day: stored.day, author: try member(stored.author, txn), seq: stored.seq)
    }

    private func creditVote(_ vote: Vote, voter: Int32, sign: Int64, _ txn: borrowing Transaction) throws {
        guard vote.value != 0 else { return }
        let weights = rules.engagement
        try credit(voter, day: vote.day, amount: weights.voteCast, rule: .voteCast, seq: vote.seq, sign: sign, txn)
        if vote.value > 0 {
            try credit(vote.author, day: vote.day, amount: weights.upvoteReceived, rule: .upvoteReceived, seq: vote.seq, sign: sign, txn)
        } else {
            try credit(vote.author, day: vote.day, amount: weights.downvoteReceived, rule: .downvoteReceived, seq: vote.seq, sign: sign, txn)
        }
    }

    func applyQuizPublished(_ event: RecordView) {
        guard let id = event.string("quiz").map(ExactString.init), quizzes[id] == nil, let quiz = Quiz(event) else { return }
        quizzes[id] = quiz
    }

    private func quiz(_ id: String, before seq: UInt64, _ txn: borrowing Transaction) throws -> Quiz? {
        if let quiz = quizzes[ExactString(id)] { return quiz }
        guard !holdsEverything, let quiz = try store!.quiz(id, before: seq, txn) else { return nil }
        quizzes[ExactString(id)] = quiz
        return quiz
    }

    func applyQuizAnswer(_ event: RecordView, member: Int32, _ txn: borrowing Transaction) throws {
        guard let quizBytes = event.bytes("quiz"), let questionBytes = event.bytes("question"), let answer = event.string("answer") else { return }
        let question = questions.intern(Self.questionKey(quizBytes, questionBytes)).id
        if let first = try firstAnswer(member: member, question: question, txn) {
            trace?.note(event.seq, .notFirstAnswer, by: first.seq, for: member)
            return
        }
        let key = Self.key(member, question)
        var first = Answer(seq: event.seq, counted: false, correct: false)
        defer { answers[key] = first }
        func uncounted(_ reason: Uncredited.Reason) { trace?.note(event.seq, reason, for: member) }
        guard let quizID = UTF8Validation.string(quizBytes), let quiz = try quiz(quizID, before: event.seq, txn) else {
            return uncounted(.unknownQuiz)
        }
        let verdict = quiz.verdict(on: UTF8Validation.string(questionBytes), answer: answer, at: event.time)
        (first.counted, first.correct) = (verdict.isCounted, verdict == .correct)
        if let reason = verdict.uncredited { return uncounted(reason) }
        try credit(member, day: event.time.day, amount: rules.engagement.quizCorrect, rule: .quizCorrect, seq: event.seq, txn)
        updateTier(member, event)
    }

    /// Quiz ‖ 0xFF ‖ question: one key for a quiz question (0xFF never occurs in UTF-8).
    static func questionKey(_ quiz: UnsafeRawBufferPointer, _ question: UnsafeRawBufferPointer) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(quiz.count + 1 + question.count)
        key.append(contentsOf: quiz)
        key.append(0xFF)
        key.append(contentsOf: question)
        return key
    }

    /// The member's first answer to the interned quiz question, if any.
    func firstAnswer(member: Int32, question: Int32, _ txn: borrowing Transaction) throws -> Answer? {
        if let answer = answers[Self.key(member, question)] { return answer }
        guard !holdsEverything else { return nil }
        let (quiz, questionID) = questions.splitQuestion(question)
        return try store!.answer(member: members.string(member), quiz: quiz, question: questionID, txn)
    }
}

extension Interner {
    /// The quiz and question ids of an interned ``Projector/questionKey(_:_:)``.
    func splitQuestion(_ id: Int32) -> (quiz: String, question: String) {
        withBytes(id) { bytes in
            let separator = bytes.firstIndex(of: 0xFF) ?? bytes.count
            let quiz = UnsafeRawBufferPointer(rebasing: bytes[..<separator])
            let question = UnsafeRawBufferPointer(rebasing: bytes[min(separator + 1, bytes.count)...])
            return (UTF8Validation.string(quiz) ?? "", UTF8Validation.string(question) ?? "")
        }
    }
}

extension Projector.Quiz {
    /// What a member's first answer to a question of the quiz comes to (CONTRACT.md section 5).
    enum Verdict {
        /// Counted, and equal to the key (the exact string): it earns `quiz_correct`.
        case correct
        /// Counted, and not equal to the key.
        case incorrect
        /// Not counted: the question is not in the quiz's answer key.
        case unknownQuestion
        /// Not counted: given after the quiz's `closes` time.
        case afterClose

        var isCounted: Bool { self == .correct || self == .incorrect }

        /// Why the answer earned nothing; nil for a correct one.
        var uncredited: Uncredited.Reason? {
            switch self {
            case .correct: nil
            case .incorrect: .incorrect
            case .unknownQuestion: .unknownQuestion
            case .afterClose: .afterClose
            }
        }
    }

    /// What a member's first answer `answer` to `question` (nil when not UTF-8), given at
    /// `time` after the quiz was published, comes to.
    func verdict(on question: String?, answer: String, at time: Timestamp) -> Verdict {
        guard let question, let expected = key[ExactString(question)] else { return .unknownQuestion }
        if let closes, time > closes { return .afterClose }
        return answer.isExactly(expected) ? .correct : .incorrect
    }

    /// The answer key and closing time a `quiz_published` event gives; nil without a key.
    init?(_ event: RecordView) {
        guard event.field("answers")?.tag == .object else { return nil }
        var key: [ExactString: String] = [:]
        for (question, answer) in event.stringMembers("answers") { key[ExactString(question)] = answer }
        self.init(key: key, closes: event.string("closes").flatMap(Timestamp.init(rfc3339:)))
    }
}
