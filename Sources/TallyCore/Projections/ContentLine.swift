/// One post and the engagement it drew, for `tally content`: the replies of its thread and
/// the votes on it, counted as the engagement rules count them (CONTRACT.md section 5).
public struct ContentLine: Sendable, Equatable {
    public var post: String
    public var seq: UInt64
    public var author: String
    public var postedAt: Timestamp
    /// The post's `channel`, `kind` and `title`, when it gave them.
    public var channel: String?
    public var kind: String?
    public var title: String?
    /// The replies in its thread (to it, or to a reply in its thread) that earned credit:
    /// made when what they answer was known.
    public var replies: Int
    /// How many members made those replies.
    public var repliers: Int
    /// The latest vote of each voter on the post that counts (not on a target unknown when
    /// cast, not the author's own) and is 1, or -1.
    public var upvotes: Int
    public var downvotes: Int

    /// Replies and votes: how much interaction the post drew.
    public var interactions: Int { replies + upvotes + downvotes }
}

extension ContentLine {
    /// `lines` by ``interactions``, most first, then by post id in byte order.
    public static func byInteractions(_ lines: [ContentLine]) -> [ContentLine] {
        lines.sorted(byBytesOf: \.post, after: { -Int64($0.interactions) })
    }
}
