internal import LMDB

/// Engagement: credits for posts, replies, votes and correct quiz answers, summed per
/// member and UTC day under the daily cap (CONTRACT.md section 5, `engagement.toml`).
extension Projector {
    struct VoteKey: Hashable {
        var voter: Int32
        var target: String
    }

    struct Vote {
        var value: Int64
        var day: Int64
        var author: Int32
        var seq: UInt64
    }

    struct Quiz {
        var key: [String: String]
        var closes: Timestamp?
    }

    struct AnswerKey: Hashable {
        var member: Int32
        var quiz: String
        var question: String
    }

    /// The first answer of a member to a quiz question: only it can count.
    struct Answer {
        var seq: UInt64
        /// Whether it counted (the quiz and question known, in time) and matched the key.
        var counted: Bool
        var correct: Bool
    }

    struct DayKey: Hashable {
        var member: Int32
        var day: Int64
    }

    struct DayCredit {
        var positive: Int64 = 0
        var negative: Int64 = 0
    }

    /// The engagement rule that gave a credit.
    public enum CreditRule: String, Sendable {
        case post, reply
        case voteCast = "vote_cast"
        case upvoteReceived = "upvote_received"
        case downvoteReceived = "downvote_received"
        case quizCorrect = "quiz_correct"
    }

    /// Adds (or, with `sign` -1, takes back) `amount` of credit for `member` on `day`.
    func credit(
        _ member: Int32, day: Int64, amount: Int64, rule: CreditRule, seq: UInt64, sign: Int64 = 1, _ txn: borrowing Transaction
    ) throws {
        guard amount != 0 else { return }
        let key = DayKey(member: member, day: day)
        if !holdsEverything, dayCredit[key] == nil, let stored = try store!.dayCredit(memberNames[Int(member)], day: day, txn) {
            dayCredit[key] = stored
        }
        let cap = rules.engagement.dailyCap
        func contribution(_ credit: DayCredit) -> Int64 {
            (cap > 0 ? min(cap, credit.positive) : credit.positive) &+ credit.negative
        }
        let change: Int64 = withUnsafeMutablePointer(to: &dayCredit[key, default: DayCredit()]) { credit in
            let before = contribution(credit.pointee)
            if amount > 0 { credit.pointee.positive &+= sign &* amount } else { credit.pointee.negative &+= sign &* amount }
            return contribution(credit.pointee) &- before
        }
        score[Int(member)] &+= change
        if member == trace?.member { trace!.record(seq: seq, day: day, rule: rule, amount: amount, withdrawn: sign < 0) }
    }

    func applyContent(_ event: RecordView, actor: Int32, _ txn: borrowing Transaction) throws {
        let isPost = event.type == .post
        // Post and reply ids are unique: the ledger refuses a second one.
        if let id = event.string(isPost ? "post" : "reply"), contentAuthor[id] == nil { contentAuthor[id] = actor }
        let weights = rules.engagement
        try credit(actor, day: event.time.day, amount: isPost ? weights.post : weights.reply, rule: isPost ? .post : .reply,
                   seq: event.seq, txn)
        updateTier(actor, event)
    }

    /// The author of a post or reply created before `seq`, if any.
    private func author(of content: String, before seq: UInt64, _ txn: borrowing Transaction) throws -> Int32? {
        if let author = contentAuthor[content] { return author }
        guard !holdsEverything, let name = try store!.author(of: content, before: seq, txn) else { return nil }
        let author = try member(name, txn)
        contentAuthor[content] = author
        return author
    }

    func applyVote(_ event: RecordView, voter: Int32, _ txn: borrowing Transaction) throws {
        guard let target = event.string("target"), let value = event.integer("value"),
              let author = try author(of: target, before: event.seq, txn), author != voter else { return }  // unknown target or self-vote: ignored
        let key = VoteKey(voter: voter, target: target)
        if let previous = try latestVote(key, txn) { try creditVote(previous, voter: voter, sign: -1, txn) }
        let vote = Vote(value: value, day: event.time.day, author: author, seq: event.seq)
        latestVote[key] = vote
        try creditVote(vote, voter: voter, sign: 1, txn)
        updateTier(voter, event)
        updateTier(author, event)
    }

    private func latestVote(_ key: VoteKey, _ txn: borrowing Transaction) throws -> Vote? {
        if let vote = latestVote[key] { return vote }
        guard !holdsEverything, let stored = try store!.vote(voter: memberNames[Int(key.voter)], target: key.target, txn) else { return nil }
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
        guard let id = event.string("quiz"), quizzes[id] == nil, let quiz = Quiz(event) else { return }
        quizzes[id] = quiz
    }

    private func quiz(_ id: String, before seq: UInt64, _ txn: borrowing Transaction) throws -> Quiz? {
        if let quiz = quizzes[id] { return quiz }
        guard !holdsEverything, let quiz = try store!.quiz(id, before: seq, txn) else { return nil }
        quizzes[id] = quiz
        return quiz
    }

    func applyQuizAnswer(_ event: RecordView, member: Int32, _ txn: borrowing Transaction) throws {
        guard let quizID = event.string("quiz"), let question = event.string("question"), let answer = event.string("answer") else { return }
        let key = AnswerKey(member: member, quiz: quizID, question: question)
        guard try firstAnswer(key, txn) == nil else { return }
        var first = Answer(seq: event.seq, counted: false, correct: false)
        defer { answers[key] = first }
        guard let quiz = try quiz(quizID, before: event.seq, txn), let expected = quiz.key[question] else { return }
        if let closes = quiz.closes, event.time > closes { return }
        first.counted = true
        first.correct = answer == expected
        guard first.correct else { return }
        try credit(member, day: event.time.day, amount: rules.engagement.quizCorrect, rule: .quizCorrect, seq: event.seq, txn)
        updateTier(member, event)
    }

    /// The member's first answer to the quiz question, if any.
    func firstAnswer(_ key: AnswerKey, _ txn: borrowing Transaction) throws -> Answer? {
        if let answer = answers[key] { return answer }
        guard !holdsEverything else { return nil }
        return try store!.answer(member: memberNames[Int(key.member)], quiz: key.quiz, question: key.question, txn)
    }
}

extension Projector.Quiz {
    /// The answer key and closing time a `quiz_published` event gives; nil without a key.
    init?(_ event: RecordView) {
        guard event.field("answers")?.tag == .object else { return nil }
        var key: [String: String] = [:]
        for (question, answer) in event.stringMembers("answers") { key[question] = answer }
        self.init(key: key, closes: event.string("closes").flatMap(Timestamp.init(rfc3339:)))
    }
}
