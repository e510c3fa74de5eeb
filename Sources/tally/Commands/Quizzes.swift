import ArgumentParser
import TallyCore

struct Quizzes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quizzes", abstract: "Each quiz's answers: how many counted and were correct, and why the others did not count.",
        discussion: """
            An answer counts as the engagement rules say: a member's first answer to a question of the quiz's key, given \
            after the quiz was published and not after it closed. Quizzes that answers name but that were not published \
            have a line too. With --quiz, a line per question of that quiz's key as well: the right answer, the counted \
            and correct answers, and the wrong answer given most often (a question most get wrong the same way may have \
            a wrong key). No rules are involved: --at and --as-of travel in time.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var position: PositionOptions
    @OptionGroup var output: TableOutputOptions
    @Option(help: "Only this quiz (byte for byte), with a line per question.") var quiz: String?
    @Flag(help: "Only quizzes that answers name but that were not published.") var unpublished = false

    func run() throws {
        try Console.run {
            let ledger = try ledger.open()
            let results = try ledger.quizResults(quiz: quiz, atSeq: try position.seq(in: ledger)).filter { !unpublished || $0.publishedSeq == nil }
            let widths = [16, 11, 25, 8, 8, 13, 8, 0]
            let header = "\(summary(of: results))\n"
                + tableLine(["quiz", "published", "closes", "answers", "counted", "correct", "members", "not counted"], widths: widths)
            Console.print(results, as: output.format, header: header) { result in
                tableLine([result.quiz, result.publishedAt.map { Timestamp.dateString(day: $0.day) } ?? "-", result.closes?.rfc3339 ?? "-",
                           String(result.answers), String(result.counted), countWithShare(result.correct, of: result.counted),
                           String(result.members), notCounted(result)], widths: widths)
            }
            if quiz != nil, output.format == .text, let result = results.first { printQuestions(of: result) }
        }
    }

    /// How many quizzes and answers, and how many of those counted and were correct.
    private func summary(of results: [QuizResult]) -> String {
        let answers = results.reduce(0) { $0 + $1.answers }, countedAnswers = results.reduce(0) { $0 + $1.counted }
        return "\(counted(results.count, "quiz", "quizzes")) (\(results.count { $0.publishedSeq != nil }) published): "
            + "\(counted(answers, "answer", "answers")), \(countedAnswers) counted, "
            + "\(countWithShare(results.reduce(0) { $0 + $1.correct }, of: countedAnswers)) correct"
    }

    /// The answers that did not count, by why: `2 after_close, 1 not_first_answer`; `-` for none.
    private func notCounted(_ result: QuizResult) -> String {
        let reasons = [("before_publication", result.beforePublication), ("unknown_question", result.unknownQuestion),
                       ("after_close", result.afterClose), ("not_first_answer", result.notFirstAnswer)]
        let given = reasons.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
        return given.isEmpty ? "-" : given.joined(separator: ", ")
    }

    /// A table of the quiz's questions.
    private func printQuestions(of result: QuizResult) {
        let widths = [16, 16, 8, 14]
        Console.print(tableLine(["question", "key", "counted", "correct", "most given wrong answer"], widths: widths + [0]))
        for question in result.questions {
            let wrong = question.topWrongAnswer.map { "\($0) (\(question.topWrongCount))" } ?? "-"
            Console.print(tableLine([question.question, question.key, String(question.counted),
                                     countWithShare(question.correct, of: question.counted), wrong], widths: widths + [0]))
        }
    }
}
