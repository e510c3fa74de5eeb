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
    func credit(_ member: Int32, day: Int64, amount: Int64, rule: CreditRule, seq: UInt64, sign: Int64 = 1) {
        guard amount != 0 else { return }
        let cap = rules.engagement.dailyCap
        func contribution(_ credit: DayCredit) -> Int64 {
            (cap > 0 ? min(cap, credit.positive) : credit.positive) &+ credit.negative
        }
        let change: Int64 = withUnsafeMutablePointer(to: &dayCredit[DayKey(member: member, day: day), default: DayCredit()]) { credit in
            let before = contribution(credit.pointee)
            if amount > 0 { credit.pointee.positive &+= sign &* amount } else { credit.pointee.negative &+= sign &* amount }
            return contribution(credit.pointee) &- before
        }
        score[Int(member)] &+= change
        if member == trace?.member { trace!.record(seq: seq, day: day, rule: rule, amount: amount, withdrawn: sign < 0) }
    }

    func applyContent(_ event: RecordView, actor: Int32) {
        let isPost = event.type == .post
        if let id = event.string(isPost ? "post" : "reply"), contentAuthor[id] == nil { contentAuthor[id] = actor }
        let weights = rules.engagement
        credit(actor, day: event.time.day, amount: isPost ? weights.post : weights.reply, rule: isPost ? .post : .reply, seq: event.seq)
        updateTier(actor, event)
    }

    func applyVote(_ event: RecordView, voter: Int32) {
        guard let target = event.string("target"), let value = event.integer("value"),
              let author = contentAuthor[target], author != voter else { return }  // unknown target or self-vote: ignored
        let key = VoteKey(voter: voter, target: target)
        if let previous = latestVote[key] { creditVote(previous, voter: voter, sign: -1) }
        let vote = Vote(value: value, day: event.time.day, author: author, seq: event.seq)
        latestVote[key] = vote
        creditVote(vote, voter: voter, sign: 1)
        updateTier(voter, event)
        updateTier(author, event)
    }

    private func creditVote(_ vote: Vote, voter: Int32, sign: Int64) {
        guard vote.value != 0 else { return }
        let weights = rules.engagement
        credit(voter, day: vote.day, amount: weights.voteCast, rule: .voteCast, seq: vote.seq, sign: sign)
        if vote.value > 0 {
            credit(vote.author, day: vote.day, amount: weights.upvoteReceived, rule: .upvoteReceived, seq: vote.seq, sign: sign)
        } else {
            credit(vote.author, day: vote.day, amount: weights.downvoteReceived, rule: .downvoteReceived, seq: vote.seq, sign: sign)
        }
    }

    func applyQuizPublished(_ event: RecordView) {
        guard let id = event.string("quiz"), quizzes[id] == nil, event.field("answers")?.tag == .object else { return }
        var key: [String: String] = [:]
        for (question, answer) in event.stringMembers("answers") { key[question] = answer }
        let closes = event.string("closes").flatMap(Timestamp.init(rfc3339:))
        quizzes[id] = Quiz(key: key, closes: closes)
    }

    func applyQuizAnswer(_ event: RecordView, member: Int32) {
        guard let quizID = event.string("quiz"), let question = event.string("question"), let answer = event.string("answer") else { return }
        let first = answered.insert(AnswerKey(member: member, quiz: quizID, question: question)).inserted
        guard first, let quiz = quizzes[quizID], let expected = quiz.key[question] else { return }
        if let closes = quiz.closes, event.time > closes { return }
        let correct = answer == expected
        countedAnswers[event.seq] = correct
        guard correct else { return }
        credit(member, day: event.time.day, amount: rules.engagement.quizCorrect, rule: .quizCorrect, seq: event.seq)
        updateTier(member, event)
    }
}
