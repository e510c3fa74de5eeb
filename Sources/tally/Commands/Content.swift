import ArgumentParser
import TallyCore

struct Content: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content", abstract: "Which posts drew the most engagement: the replies of each thread and the votes on each post.",
        discussion: """
            Posts by interactions (replies and votes), most first. Replies and votes count as the engagement rules \
            count them: a reply joins the thread of what it answers when that was known before it; a voter's latest vote \
            on a post counts unless the post was unknown when it was cast or is the voter's own. With --by, a line per \
            channel, kind or author instead. --since and --until keep the posts made on those UTC days, with all the \
            engagement they drew.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var position: PositionOptions
    @OptionGroup var output: TableOutputOptions
    @Option(help: "Only the first N posts.") var top: Int?
    @Option(help: "Only posts in this channel (byte for byte).") var channel: String?
    @Option(help: "Only posts of this kind: text, image, video or live.") var kind: String?
    @Option(help: "Only posts by this member.") var author: String?
    @OptionGroup(title: "Posts made in a period") var period: DayRangeOptions
    @Option(help: "Print a line per channel, kind or author of the posts kept.") var by: String?

    func validate() throws {
        try requireOneOf(ContentGroup.Dimension.allCases.map(\.rawValue), by, option: "--by")
        try requireOneOf(EventType.post.allowedValues(of: "kind") ?? [], kind, option: "--kind")
        if let top, top < 0 { throw ValidationError("--top must be at least 0") }
    }

    func run() throws {
        try Console.run {
            let ledger = try ledger.open(), days = period.days
            let lines = try ledger.content(atSeq: try position.seq(in: ledger)).filter { line in
                (channel.map { line.channel?.isExactly($0) == true } ?? true) && (kind.map { line.kind == $0 } ?? true)
                    && (author.map(line.author.isExactly) ?? true) && (days?.contains(line.postedAt.day) ?? true)
            }
            if let by, let dimension = ContentGroup.Dimension(rawValue: by) { return printGroups(ContentGroup.grouping(lines, by: dimension)) }
            let ranked = ContentLine.byInteractions(lines).prefix(top ?? .max)
            let widths = [16, 16, 20, 6, 8, 9, 5, 6]
            let header = "\(summary(of: lines))\n"
                + tableLine(["post", "author", "channel", "kind", "replies", "repliers", "up", "down", "title"], widths: widths + [0])
            Console.print(Array(ranked), as: output.format, header: header) { line in
                tableLine([line.post, line.author, line.channel ?? "-", line.kind ?? "-", String(line.replies), String(line.repliers),
                           String(line.upvotes), String(line.downvotes), line.title ?? ""], widths: widths + [0])
            }
        }
    }

    /// How many posts, and the replies and votes they drew.
    private func summary(of lines: [ContentLine]) -> String {
        "\(counted(lines.count, "post", "posts")): \(counted(lines.reduce(0) { $0 + $1.replies }, "reply", "replies")), "
            + "\(counted(lines.reduce(0) { $0 + $1.upvotes }, "upvote", "upvotes")), \(counted(lines.reduce(0) { $0 + $1.downvotes }, "downvote", "downvotes"))"
    }

    private func printGroups(_ groups: [ContentGroup]) {
        let widths = [24, 8, 8, 8, 8]
        let header = tableLine([by ?? "", "posts", "replies", "up", "down", "replies per post"], widths: widths + [0])
        Console.print(groups, as: output.format, header: header) { group in
            let perPost = group.posts == 0 ? "-" : Hundredths(Int64(group.replies), over: Int64(group.posts)).description
            return tableLine([group.group ?? "-", String(group.posts), String(group.replies), String(group.upvotes), String(group.downvotes), perPost],
                             widths: widths + [0])
        }
    }
}
