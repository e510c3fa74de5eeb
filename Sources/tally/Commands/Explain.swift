import ArgumentParser
import TallyCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Every credit and award behind a member's score and points, with the rule that gave it, and why its other replies, votes and answers gave nothing.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<OutputOptions>
    @Argument(help: "The member.") var member: String

    func run() throws {
        try Console.run {
            let ledger = try ledger.open(), at = try report.position.seq(in: ledger)
            guard let explanation = try ledger.explain(member, rules: try report.loadRules(), atSeq: at) else {
                throw LedgerError.memberNotFound(member, atSeq: at)
            }
            if report.format == .json {
                Console.print(json: explanation.write)
                return
            }
            Console.print("\(member): score \(explanation.score), tier \(explanation.tier), points \(explanation.points) (rules \(explanation.rules))")
            Console.print("credits:")
            for credit in explanation.credits {
                let cut = credit.counted != credit.amount ? "  (daily cap: \(credit.counted) counted)" : ""
                Console.print("  seq \(column(String(credit.seq), 8)) \(Timestamp.dateString(day: credit.day))  \(column(credit.rule.rawValue, 18)) \(credit.amount)\(cut)")
            }
            printPoints(explanation)
            guard !explanation.uncredited.isEmpty else { return }
            Console.print("not credited:")
            for entry in explanation.uncredited {
                Console.print("  seq \(column(String(entry.seq), 8)) \(column(entry.reason.rawValue, 18)) \(entry.explanation)")
            }
        }
    }

    /// The awards and redemptions in seq order, each with the balance after it.
    private func printPoints(_ explanation: Explanation) {
        Console.print("points (awards and redemptions, with the balance after each):")
        let awards = explanation.awards.map { award in
            let verdict = award.findings.isEmpty ? "justified" : award.findings.map(\.rawValue).joined(separator: ", ")
            return (award.seq, award.points, "\(column(award.reason, 14)) ref \(award.ref ?? "-")  \(verdict)")
        }
        let redemptions = explanation.redemptions.map { ($0.seq, -$0.points, "redeemed for \($0.reward)") }
        var balance: Int64 = 0
        for (seq, points, what) in (awards + redemptions).sorted(by: { $0.0 < $1.0 }) {
            balance &+= points
            Console.print("  seq \(column(String(seq), 8)) \(column(points > 0 ? "+\(points)" : String(points), 7)) \(column("= \(balance)", 9)) \(what)")
        }
    }
}

extension Uncredited {
    /// The reason in words, for the text output.
    fileprivate var explanation: String {
        switch reason {
        case .replyToUnknown: "a reply to a post or reply unknown when it was appended"
        case .unknownTarget: "a vote on a post or reply unknown when it was appended"
        case .selfVote: "a vote on the voter's own post or reply"
        case .retracted: "a vote of 0: it takes a vote back and gives nothing"
        case .superseded: "a vote replaced by the voter's vote at seq \(by.map(String.init) ?? "?")"
        case .unknownQuiz: "an answer to a quiz not published before it"
        case .unknownQuestion: "an answer to a question not in the quiz's key"
        case .afterClose: "an answer after the quiz closed"
        case .notFirstAnswer: "the member answered this question first at seq \(by.map(String.init) ?? "?")"
        case .incorrect: "an answer that differs from the key"
        }
    }
}
