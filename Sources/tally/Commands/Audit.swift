import ArgumentParser
import TallyCore

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Every points award the incentive rules do not justify.",
        discussion: "With --since or --until, only the awards whose time falls on those UTC days are checked and counted.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<TableOutputOptions>
    @Option(help: "Only awards to this member.") var member: String?
    @Option(help: "Only awards made by this actor (who paid them).") var actor: String?
    @Option(help: "Only this finding, such as self_award or amount_mismatch.") var finding: String?
    @OptionGroup var period: DayRangeOptions

    func validate() throws {
        try requireOneOf(AuditFinding.Kind.allCases.map(\.rawValue), finding, option: "--finding")
    }

    func run() throws {
        try Console.run {
            let ledger = try ledger.open(), at = try report.position.seq(in: ledger)
            let projection = try report.projection(ledger, [.members, .findings], at: at, for: member)
            var audit = actor == nil && period.days == nil ? projection.audit(member: member)
                : projection.audit(ofAwardsAt: try ledger.awardSeqs(by: actor, to: member, days: period.days, atSeq: at))
            if let finding {
                audit.findings.removeAll { $0.finding.rawValue != finding }
                audit.flagged = Set(audit.findings.map(\.seq)).count
            }
            if report.format == .csv { return Console.print(csv: audit.findings) }
            if report.format == .json {
                Console.print { writer in
                    writer.writeObject { object in
                        object.add("awards", Int64(audit.awards))
                        object.add("flagged", Int64(audit.flagged))
                        object.add("findings", audit.findings)
                    }
                }
                return
            }
            Console.print("\(audit.awards) awards checked, \(audit.flagged) flagged")
            for finding in audit.findings {
                Console.print("  seq \(column(String(finding.seq), 8)) \(column(finding.finding.rawValue, 16)) \(column(finding.member, 20)) \(finding.points) (\(finding.reason))")
            }
        }
    }
}
