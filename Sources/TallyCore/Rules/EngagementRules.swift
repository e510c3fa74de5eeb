/// The rules of `engagement.toml`: credit weights, the daily cap and the tiers.
public struct EngagementRules: Sendable, Equatable {
    /// The rule set's name, printed in reports.
    public var name: String
    public var post: Int64
    public var reply: Int64
    /// Credit to the voter for a counted vote.
    public var voteCast: Int64
    /// Credit to the author of an upvoted post or reply.
    public var upvoteReceived: Int64
    /// Credit to the author of a downvoted post or reply (normally negative).
    public var downvoteReceived: Int64
    public var quizCorrect: Int64
    /// The most positive credit a member can earn per day; 0 means no cap.
    public var dailyCap: Int64
    /// The tiers, lowest threshold first.
    public var tiers: [Tier]

    /// A loyalty tier: reached when the score is at or above its threshold.
    public struct Tier: Sendable, Equatable {
        public var name: String
        public var threshold: Int64
    }

    static let weightKeys = ["post", "reply", "vote_cast", "upvote_received", "downvote_received", "quiz_correct"]

    /// Each weight with its name in `[weights]`, in ``weightKeys`` order.
    var weights: [(name: String, value: Int64)] {
        Array(zip(Self.weightKeys, [post, reply, voteCast, upvoteReceived, downvoteReceived, quizCorrect]))
    }
}

extension EngagementRules {
    /// Reads the rules of a parsed rule file named `file`, refusing what the file may not say.
    init(_ document: TOMLDocument, file: String) throws {
        var name = "unnamed"
        var weights: [String: Int64] = [:]
        var cap: Int64 = 0
        var tiers: [Tier]?
        for table in document.tables {
            switch table.name {
            case "":
                for (key, entry) in table.entries {
                    guard key == "name" else { throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown key '\(key)'") }
                    guard case .string(let text) = entry.value, !text.isEmpty else {
                        throw TOMLDocument.Failure(file: file, line: entry.line, reason: "name must be a non-empty string")
                    }
                    name = text
                }
            case "weights":
                for (key, entry) in table.entries {
                    guard Self.weightKeys.contains(key) else {
                        throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown weight '\(key)' (known: \(Self.weightKeys.joined(separator: ", ")))")
                    }
                    weights[key] = try Self.integer(entry, key, file)
                }
            case "limits":
                for (key, entry) in table.entries {
                    guard key == "daily_cap" else { throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown limit '\(key)'") }
                    cap = try Self.integer(entry, key, file)
                    guard cap >= 0 else { throw TOMLDocument.Failure(file: file, line: entry.line, reason: "daily_cap must not be negative") }
                }
            case "tiers":
                var list: [Tier] = []
                for (key, entry) in table.entries {
                    let threshold = try Self.integer(entry, key, file)
                    if let same = list.first(where: { $0.threshold == threshold }) {
                        throw TOMLDocument.Failure(file: file, line: entry.line, reason: "tiers '\(same.name)' and '\(key)' have the same threshold \(threshold)")
                    }
                    list.append(Tier(name: key, threshold: threshold))
                }
                guard !list.isEmpty else { throw TOMLDocument.Failure(file: file, line: table.line, reason: "[tiers] must name at least one tier") }
                tiers = list.sorted { $0.threshold < $1.threshold }
            default:
                throw TOMLDocument.Failure(file: file, line: table.line, reason: "unknown table [\(table.name)]")
            }
        }
        guard let tiers else { throw TOMLDocument.Failure(file: file, line: 0, reason: "the [tiers] table is missing") }
        self.name = name
        post = weights["post"] ?? 0
        reply = weights["reply"] ?? 0
        voteCast = weights["vote_cast"] ?? 0
        upvoteReceived = weights["upvote_received"] ?? 0
        downvoteReceived = weights["downvote_received"] ?? 0
        quizCorrect = weights["quiz_correct"] ?? 0
        dailyCap = cap
        self.tiers = tiers
    }

    private static func integer(_ entry: TOMLDocument.Entry, _ key: String, _ file: String) throws -> Int64 {
        guard case .integer(let value) = entry.value else {
            throw TOMLDocument.Failure(file: file, line: entry.line, reason: "'\(key)' must be an integer")
        }
        return value
    }

    /// The index of the tier for `score`: the highest whose threshold is at most the score,
    /// else the lowest.
    public func tierIndex(for score: Int64) -> Int {
        var index = 0
        for (candidate, tier) in tiers.enumerated() where tier.threshold <= score { index = candidate }
        return index
    }
}
