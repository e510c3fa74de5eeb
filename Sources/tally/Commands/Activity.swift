import ArgumentParser
import TallyCore

struct Activity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity", abstract: "The community's activity per day, week or month: events, active and new members, events of each type.",
        discussion: """
            A line per period (UTC days, ISO weeks from Monday, or calendar months) from the first with events to the \
            last, quiet ones included: how many events, how many members made them (active), how many of those made \
            their first event (new), and the events of each type (--json and --csv give all thirteen). With --since or \
            --until, only the events of those UTC days. It reads the indexes alone.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var position: PositionOptions
    @OptionGroup var output: TableOutputOptions
    @OptionGroup var grouping: PeriodOption
    @OptionGroup(title: "Events of a period") var period: DayRangeOptions

    /// The types the text shows, with their column titles; JSON and CSV give every type.
    private static let shownTypes: [(EventType, String)] = [
        (.memberJoined, "joined"), (.post, "posts"), (.reply, "replies"), (.vote, "votes"), (.quizAnswer, "answers"),
        (.pointsAward, "awards"), (.pointsRedeemed, "redeemed"), (.complaint, "complaints"),
    ]

    func run() throws {
        try Console.run {
            let ledger = try ledger.open()
            let lines = try ledger.activity(by: grouping.period, days: period.days, atSeq: try position.seq(in: ledger))
            let widths = [11, 11, 8, 7, 6] + Self.shownTypes.map { max($0.1.count + 1, 8) }
            let header = "\(summary(of: lines))\n"
                + tableLine(["period", "start", "events", "active", "new"] + Self.shownTypes.map(\.1), widths: widths)
            Console.print(lines, as: output.format, header: header) { line in
                tableLine([line.label, Timestamp.dateString(day: line.start), String(line.events), String(line.activeMembers), String(line.newMembers)]
                          + Self.shownTypes.map { String(line.count($0.0)) }, widths: widths)
            }
        }
    }

    /// How many periods and events, and the busiest period.
    private func summary(of lines: [ActivityLine]) -> String {
        guard let first = lines.first, let last = lines.last, let busiest = lines.max(by: { $0.events < $1.events }) else {
            return "no events"
        }
        return "\(counted(lines.count, grouping.period.rawValue, grouping.period.rawValue + "s")), \(first.label) to \(last.label): "
            + "\(counted(lines.reduce(0) { $0 + $1.events }, "event", "events")), \(counted(lines.reduce(0) { $0 + $1.newMembers }, "new member", "new members")); "
            + "busiest \(busiest.label) (\(counted(busiest.events, "event", "events")), \(busiest.activeMembers) active)"
    }
}
