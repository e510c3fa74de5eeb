import ArgumentParser
import TallyCore

struct Retention: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Do new members stay? Each cohort of newcomers, and how many of them were active in each period since.",
        discussion: """
            A cohort is the members who made their first event of their own in one period (UTC days, ISO weeks from \
            Monday, or calendar months); a line per cohort from the first to the last, with how many of its members made \
            an event in its own period and in each one after, up to the last of the log (the text shows --periods of \
            them, as shares of the cohort; --json and --csv all, as counts). With --since or --until, only the cohorts of \
            members first seen on those UTC days. It reads the indexes alone.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var position: PositionOptions
    @OptionGroup var output: TableOutputOptions
    @OptionGroup var grouping: PeriodOption
    @Option(help: "How many periods the text shows, the cohort's own first.") var periods = 8
    @OptionGroup(title: "Members first seen in a period") var period: DayRangeOptions

    func validate() throws {
        guard periods >= 1 else { throw ValidationError("--periods must be at least 1") }
    }

    func run() throws {
        try Console.run {
            let ledger = try ledger.open()
            let cohorts = try ledger.retention(by: grouping.period, days: period.days, atSeq: try position.seq(in: ledger))
            // No cohort follows more periods than the first one: show no more columns than it has.
            let shown = min(periods, cohorts.first?.active.count ?? 1)
            let widths = [11, 11, 8] + Array(repeating: 7, count: shown)
            let header = tableLine(["cohort", "start", "members"] + (0..<shown).map { "+\($0)" }, widths: widths)
            Console.print(cohorts, as: output.format, header: header) { cohort in
                let shares = (0..<shown).map { since in
                    since < cohort.active.count && cohort.members > 0 ? "\(Hundredths(Int64(cohort.active[since] * 100), over: Int64(cohort.members)))%" : ""
                }
                return tableLine([cohort.label, Timestamp.dateString(day: cohort.start), String(cohort.members)] + shares, widths: widths)
            }
        }
    }
}
