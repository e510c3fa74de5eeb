/// One quiz's results, for `tally quizzes`: how the answers naming it fared under the rule of
/// CONTRACT.md section 5 for `quiz_answer`, in all and per question of its key.
///
/// Every answer naming the quiz is counted once, in ``answers``, and lands in exactly one
/// of ``counted``, ``beforePublication``, ``unknownQuestion``, ``afterClose`` and
/// ``notFirstAnswer``; that is the order in which the rule is checked, the first answer of a
/// member to a question coming first ("whatever became of it").
public struct QuizResult: Sendable, Equatable {
    /// A question of the quiz's answer key.
    public struct Question: Sendable, Equatable {
        public var question: String
        /// The right answer, as the key gives it.
        public var key: String
        /// The counted answers to it, and how many of them equal the key.
        public var counted: Int
        public var correct: Int
        /// The wrong answer given most often among the counted ones (the first in byte order
        /// on a tie), and how often: a question most members get "wrong" the same way may
        /// have a wrong key. Nil when no counted answer was wrong.
        public var topWrongAnswer: String?
        public var topWrongCount: Int
    }

    public var quiz: String
    /// The `quiz_published` event; nil when the quiz was not published (by the report's
    /// position) and only answers name it.
    public var publishedSeq: UInt64?
    public var publishedAt: Timestamp?
    /// Its `closes` time, if it gave one.
    public var closes: Timestamp?
    /// The questions of its answer key, by question id in byte order.
    public var questions: [Question]
    /// Every `quiz_answer` naming the quiz.
    public var answers: Int
    /// The answers that counted (each member's first to a question of the key, given after the
    /// quiz was published and not after it closed), and how many of them were correct.
    public var counted: Int
    public var correct: Int
    /// How many members (actors) gave at least one counted answer.
    public var members: Int
    /// The answers given before the quiz was published (every answer, for a quiz not
    /// published): what `tally explain` calls `unknown_quiz`.
    public var beforePublication: Int
    /// The answers to a question not in the key.
    public var unknownQuestion: Int
    /// The answers given after `closes`.
    public var afterClose: Int
    /// The answers of a member to a question it had answered before.
    public var notFirstAnswer: Int
}
