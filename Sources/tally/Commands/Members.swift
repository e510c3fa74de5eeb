import ArgumentParser
import TallyCore

struct Members: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members", abstract: "Every member with its activity: first and last seen, events made, role and channels joined.",
        discussion: """
            Members are every actor and every member awarded points. --inactive-since keeps those with no event of their \
            own on or after that UTC day (who went quiet); --since and --until those first seen on those days (newcomers).
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var position: PositionOptions
    @OptionGroup var output: TableOutputOptions
    @Option(help: "Only this member.") var member: String?
    @Option(help: "Only members whose latest member_joined gave this role.") var role: String?
    @Option(help: "Only members who joined this channel.") var channel: String?
    @Option(help: ArgumentHelp("Only members with no event of their own on or after this UTC day (YYYY-MM-DD).", valueName: "day"))
    var inactiveSince: String?
    @OptionGroup(title: "Members first seen in a period") var period: DayRangeOptions

    func validate() throws {
        try requireOneOf(EventType.memberJoined.allowedValues(of: "role") ?? [], role, option: "--role")
        if let inactiveSince, Timestamp.day(iso8601: inactiveSince) == nil {
            throw ValidationError("--inactive-since: '\(inactiveSince)' is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        try Console.run {
            let quietFrom = inactiveSince.flatMap(Timestamp.day(iso8601:)), days = period.days
            let ledger = try ledger.open()
            let rows = try ledger.memberActivity(atSeq: try position.seq(in: ledger)).filter { row in
                (member.map(row.member.isExactly) ?? true) && (role.map { row.role?.isExactly($0) == true } ?? true)
                    && (channel.map { name in row.channels.contains(where: name.isExactly) } ?? true)
                    && (quietFrom.map { day in (row.lastSeen?.day ?? .min) < day } ?? true)
                    && (days.map { range in row.firstSeen.map { range.contains($0.day) } ?? false } ?? true)
            }
            let header = "\(summary(of: rows))\n\(column("member", 24)) \(column("first seen", 11)) \(column("last seen", 11)) \(column("events", 8)) \(column("role", 11)) channels"
            Console.print(rows, as: output.format, header: header) { row in
                func day(_ time: Timestamp?) -> String { time.map { Timestamp.dateString(day: $0.day) } ?? "-" }
                return "\(column(row.member, 24)) \(column(day(row.firstSeen), 11)) \(column(day(row.lastSeen), 11)) \(column(String(row.events), 8)) "
                    + "\(column(row.role ?? "-", 11)) \(row.channels.isEmpty ? "-" : row.channels.joined(separator: ", "))"
            }
        }
    }

    /// How many members, how many of them made events, and how many joined a channel.
    private func summary(of rows: [MemberActivity]) -> String {
        "\(counted(rows.count, "member", "members")): \(rows.count { $0.events > 0 }) with events of their own, "
            + "\(rows.count { !$0.channels.isEmpty }) joined a channel"
    }
}
