import ArgumentParser
import TallyCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Every credit and award behind a member's score and points, with the rule that gave it.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The member.") var member: String

    func run() throws {
        try Console.run {
            guard let explanation = try ledger.open().explain(member, rules: try report.loadRules(), atSeq: report.at) else {
                throw LedgerError.memberNotFound(member, atSeq: report.at)
            }
            if report.json {
                Console.print(json: explanation.write)
                return
            }
            Console.print("\(member): score \(explanation.score), tier \(explanation.tier), points \(explanation.points) (rules \(explanation.rules))")
            Console.print("credits:")
            for credit in explanation.credits {
                let cut = credit.counted != credit.amount ? "  (daily cap: \(credit.counted) counted)" : ""
                Console.print("  seq \(column(String(credit.seq), 8)) \(Timestamp.dateString(day: credit.day))  \(column(credit.rule.rawValue, 18)) \(credit.amount)\(cut)")
            }
            Console.print("awards:")
            for award in explanation.awards {
                let verdict = award.findings.isEmpty ? "justified" : award.findings.map(\.rawValue).joined(separator: ", ")
                Console.print("  seq \(column(String(award.seq), 8)) \(column(String(award.points), 6)) \(column(award.reason, 14)) ref \(award.ref ?? "-")  \(verdict)")
            }
            for redemption in explanation.redemptions {
                Console.print("  seq \(column(String(redemption.seq), 8)) -\(redemption.points) redeemed for \(redemption.reward)")
            }
        }
    }
}
