/// Adds up the `quiz_published` and `quiz_answer` events of a log, given in seq order, into
/// ``QuizResult``s, judging each answer as the engagement projection does
/// (``Projector/Quiz/verdict(on:answer:at:)``).
struct QuizTally {
    private struct Entry {
        var result: QuizResult
        var quiz: Projector.Quiz?
        var members: Set<ExactString> = []
        var questions: [ExactString: QuestionTally] = [:]
    }

    /// The counted answers to one question of a key.
    private struct QuestionTally {
        var counted = 0, correct = 0
        /// How often each wrong answer was given.
        var wrong: [ExactString: Int] = [:]

        /// The wrong answer given most often, the first in byte order on a tie.
        var topWrong: (answer: String, count: Int)? {
            wrong.min { a, b in a.value != b.value ? a.value > b.value : a.key.text.utf8.lexicographicallyPrecedes(b.key.text.utf8) }
                .map { ($0.key.text, $0.value) }
        }

        mutating func add(_ answer: String, correct isCorrect: Bool) {
            counted += 1
            if isCorrect { correct += 1 } else { wrong[ExactString(answer), default: 0] += 1 }
        }
    }

    private var entries: [ExactString: Entry] = [:]
    /// Member ‖ 0xFF ‖ quiz ‖ 0xFF ‖ question of every answer so far: a member's later
    /// answers to a question do not count, whatever became of the first.
    private var answered: Set<[UInt8]> = []

    /// Adds `event`, a `quiz_published` or a `quiz_answer`; other events are ignored.
    mutating func add(_ event: RecordView) {
        switch event.type {
        case .quizPublished: publish(event)
        case .quizAnswer: answer(event)
        default: break
        }
    }

    private mutating func publish(_ event: RecordView) {
        guard let id = event.string("quiz"), let quiz = Projector.Quiz(event) else { return }
        modify(id) { entry in
            guard entry.quiz == nil else { return }
            entry.quiz = quiz
            (entry.result.publishedSeq, entry.result.publishedAt, entry.result.closes) = (event.seq, event.time, quiz.closes)
        }
    }

    private mutating func answer(_ event: RecordView) {
        guard let id = event.string("quiz"), let question = event.string("question"), let answer = event.string("answer") else { return }
        var key = Array(event.actor)
        key.append(0xFF)
        key.append(contentsOf: id.utf8)
        key.append(0xFF)
        key.append(contentsOf: question.utf8)
        let isFirst = answered.insert(key).inserted
        modify(id) { entry in
            entry.result.answers += 1
            guard isFirst else { return entry.result.notFirstAnswer += 1 }
            guard let quiz = entry.quiz else { return entry.result.beforePublication += 1 }
            let verdict = quiz.verdict(on: question, answer: answer, at: event.time)
            switch verdict {
            case .unknownQuestion: entry.result.unknownQuestion += 1
            case .afterClose: entry.result.afterClose += 1
            case .correct, .incorrect:
                entry.result.counted += 1
                entry.members.insert(ExactString(event.actorName))
                entry.questions[ExactString(question), default: QuestionTally()].add(answer, correct: verdict == .correct)
                if verdict == .correct { entry.result.correct += 1 }
            }
        }
    }

    private mutating func modify(_ id: String, _ body: (inout Entry) -> Void) {
        body(&entries[ExactString(id), default: Entry(result: QuizResult(quiz: id))])
    }

    /// The results, by quiz id in byte order.
    func results() -> [QuizResult] {
        entries.values.map { entry in
            var result = entry.result
            result.members = entry.members.count
            result.questions = (entry.quiz?.key ?? [:]).map { question, key in
                let tally = entry.questions[question] ?? QuestionTally()
                let top = tally.topWrong
                return QuizResult.Question(question: question.text, key: key, counted: tally.counted, correct: tally.correct,
                                           topWrongAnswer: top?.answer, topWrongCount: top?.count ?? 0)
            }.sorted(byBytesOf: \.question)
            return result
        }.sorted(byBytesOf: \.quiz)
    }
}

extension QuizResult {
    /// A quiz that no event has been added for yet.
    fileprivate init(quiz: String) {
        self.init(quiz: quiz, publishedSeq: nil, publishedAt: nil, closes: nil, questions: [], answers: 0, counted: 0, correct: 0,
                  members: 0, beforePublication: 0, unknownQuestion: 0, afterClose: 0, notFirstAnswer: 0)
    }
}
