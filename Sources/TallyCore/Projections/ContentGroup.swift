/// The posts of one channel or kind and the engagement they drew, for `tally content --by`.
public struct ContentGroup: Sendable, Equatable {
    /// What the posts are grouped by.
    public enum Dimension: String, Sendable, CaseIterable {
        case channel, kind, author
    }

    /// The channel, kind or author; nil for the posts that gave none.
    public var group: String?
    public var posts: Int
    public var replies: Int
    public var upvotes: Int
    public var downvotes: Int

    /// Replies and votes.
    public var interactions: Int { replies + upvotes + downvotes }

    /// A group per distinct value of `dimension` among `lines` (byte for byte), the posts
    /// that gave none first, then in byte order.
    public static func grouping(_ lines: [ContentLine], by dimension: Dimension) -> [ContentGroup] {
        var groups: [ExactString?: ContentGroup] = [:]
        for line in lines {
            let name: String? = switch dimension {
            case .channel: line.channel
            case .kind: line.kind
            case .author: line.author
            }
            groups[name.map(ExactString.init), default: ContentGroup(group: name, posts: 0, replies: 0, upvotes: 0, downvotes: 0)].add(line)
        }
        let unnamed = groups[nil].map { [$0] } ?? []
        return unnamed + groups.values.filter { $0.group != nil }.sorted(byBytesOf: { $0.group! })
    }

    private mutating func add(_ line: ContentLine) {
        posts += 1
        replies += line.replies
        upvotes += line.upvotes
        downvotes += line.downvotes
    }
}
