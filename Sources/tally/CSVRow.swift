import TallyCore

/// A report row that `--csv` prints as one comma-separated line: its JSON fields, in the
/// order of ``columns``, which the header names.
protocol CSVRow: JSONRepresentable {
    /// The row's JSON field names, in the order the CSV gives them.
    static var columns: [String] { get }
}

extension CSVRow {
    /// The row as a CSV line (RFC 4180): text quoted when it holds a comma, a quote or a line
    /// break; `null` empty; an array's elements joined by spaces.
    var csvLine: String {
        let writer = JSONWriter()
        write(to: writer)
        guard case .object(let object)? = writer.withUnsafeBytes({ try? JSONReader.parse($0) }) else { return "" }
        return Self.columns.map { object[$0].map(Self.field) ?? "" }.joined(separator: ",")
    }

    /// The header line.
    static var csvHeader: String { columns.joined(separator: ",") }

    private static func field(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let literal): return literal
        case .string(let text): return quoted(text)
        case .array(let elements): return quoted(elements.map { element in if case .string(let text) = element { text } else { field(element) } }.joined(separator: " "))
        case .object: return ""
        }
    }

    private static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}

extension Projector.ScoreRow: CSVRow { static let columns = ["member", "score", "tier", "points"] }
extension TierChange: CSVRow { static let columns = ["seq", "time", "from", "to"] }
extension MemberTierChange: CSVRow { static let columns = ["seq", "time", "member", "from", "to"] }
extension AuditFinding: CSVRow { static let columns = ["seq", "member", "points", "reason", "finding"] }
extension DiffRow: CSVRow { static let columns = ["member", "score_before", "score_after", "tier_before", "tier_after"] }
extension Projector.ComplaintRow: CSVRow {
    static let columns = ["complaint", "member", "severity", "status", "opened_at", "first_response_at", "resolved_at",
                          "response_breached", "resolution_breached", "satisfaction"]
}
extension SLASummary: CSVRow {
    static let columns = ["severity", "first_response_limit_hours", "resolution_limit_hours", "complaints", "answered",
                          "response_breached", "response_median_hours", "response_p90_hours", "closed", "resolution_breached",
                          "resolution_median_hours", "resolution_p90_hours", "rated", "satisfaction_mean"]
}
extension MemberActivity: CSVRow { static let columns = ["member", "first_seen", "last_seen", "events", "role", "channels"] }
extension OwnerWorkload: CSVRow {
    static let columns = ["owner", "actions", "open", "overdue", "planned", "in_progress", "blocked", "done", "verified", "cancelled"]
}
extension Projector.ActionRow: CSVRow { static let columns = ["action", "title", "owner", "due", "status", "overdue", "complaints"] }
extension ComplaintDiffRow: CSVRow {
    static let columns = ["complaint", "severity", "response_breached_before", "response_breached_after",
                          "resolution_breached_before", "resolution_breached_after"]
}
extension AuditDiffRow: CSVRow { static let columns = ["seq", "member", "points", "reason", "findings_before", "findings_after"] }
extension QuizResult: CSVRow {
    static let columns = ["quiz", "published_seq", "published_at", "closes", "answers", "counted", "correct", "members",
                          "before_publication", "unknown_question", "after_close", "not_first_answer"]
}
extension ActivityLine: CSVRow {
    static let columns = ["period", "start", "events", "active_members", "new_members"] + EventType.allCases.map(\.rawValue)
}
extension ContentLine: CSVRow {
    static let columns = ["post", "seq", "author", "posted_at", "channel", "kind", "title", "replies", "repliers", "upvotes", "downvotes", "interactions"]
}
extension ContentGroup: CSVRow { static let columns = ["group", "posts", "replies", "upvotes", "downvotes", "interactions"] }
extension RetentionCohort: CSVRow { static let columns = ["cohort", "start", "members", "active"] }
