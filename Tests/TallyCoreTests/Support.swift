import Foundation
import Testing
@testable import TallyCore

/// A ledger in a fresh temporary directory, removed when the test ends.
final class TemporaryLedger {
    let directory: String
    private(set) var ledger: Ledger!

    /// - Parameter storedRules: the rules its stored projections are kept under; nil keeps
    ///   none, as a build before stored projections did.
    init(storedRules: Rules? = .builtIn) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-\(UUID().uuidString)").path
        try reopen(storedRules: storedRules, create: true)
    }

    /// Closes the ledger and opens it again, as another build would.
    func reopen(storedRules: Rules?, create: Bool = false) throws {
        ledger = nil
        var options = Ledger.Options(create: create, noSync: true)
        options.builtInRules = storedRules
        ledger = try Ledger(path: directory, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Imports NDJSON text, atomically unless `skipInvalid`.
    @discardableResult
    func importLines(_ text: String, skipInvalid: Bool = false) throws -> ImportReport {
        let file = directory + ".ndjson"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        return try ledger.importNDJSON(fd: fd, name: file, skipInvalid: skipInvalid)
    }

    /// Every stored event.
    func events() throws -> [StoredEvent] {
        var all: [StoredEvent] = []
        try ledger.export { all.append($0) }
        return all
    }

    /// The NDJSON lines `tally query` prints for the query `configure` makes.
    func queryLines(_ configure: (inout EventQuery) -> Void) throws -> [String] {
        var query = EventQuery()
        configure(&query)
        var lines: [String] = []
        try ledger.queryLines(query) { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    /// The line of each stored event, one query each (so each written by the caller alone).
    func linesOneByOne() throws -> [String] {
        try (1...ledger.lastSeq()).map { seq in try queryLines { $0.fromSeq = seq; $0.limit = 1 }.first ?? "" }
    }

    /// The NDJSON lines `tally export` prints.
    func exportLines(progress: ((UInt64) -> Void)? = nil) throws -> [String] {
        var lines: [String] = []
        try ledger.exportLines(progress: progress) { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    /// A replay of the whole log up to `atSeq` under `rules`, in one stage, tracing `member`:
    /// what a report on one member, which replays only the member's events, must say.
    func replayTracing(_ member: String, rules: Rules, atSeq: UInt64? = nil) throws -> Projector {
        let projector = Projector(rules: rules)
        projector.startTracing(member)
        let last = min(atSeq ?? .max, try ledger.lastSeq())
        try ledger.read { txn in try ledger.feed(projector, through: last, txn, progress: nil) }
        return projector
    }
}

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Parses a JSON event line and validates it.
func event(_ json: String, defaultTime: Timestamp? = nil) throws -> Event {
    try EventValidator.validate(try JSONReader.parse(Array(json.utf8)), defaultTime: defaultTime)
}

/// Everything the reports say under one rule set, for comparing ways of computing them.
struct Reports: Equatable {
    var scores: [Projector.ScoreRow]
    /// The scores of the first UTC day of the random histories (day 20,509), and of the days after it.
    var periodScores: [[Projector.ScoreRow]]
    var distribution: [String]
    /// The tier changes of the first day.
    var firstDayTierChanges: [MemberTierChange]
    var histories: [[TierChange]]
    var awards: Int, flagged: Int
    var findings: [AuditFinding]
    var complaints: [Projector.ComplaintRow]
    var actions: [Projector.ActionRow]

    /// The reports of `projector`; tier histories from `history` (one projection per member when stored).
    init(_ projector: Projector, history: (String) throws -> [TierChange]) rethrows {
        let now = Timestamp(rfc3339: "2026-03-05T00:00:00Z")!
        scores = projector.scores()
        periodScores = [projector.scores(days: 20_509...20_509), projector.scores(days: 20_510...Int64.max)]
        distribution = projector.tierDistribution().map { "\($0.tier)=\($0.count)" }
        firstDayTierChanges = projector.tierChanges(days: 20_509...20_509)
        histories = try scores.map { try history($0.member) }
        (awards, flagged, findings) = projector.audit()
        complaints = projector.complaintRows(now: now)
        actions = projector.actionRows(now: now)
    }

    /// The reports as replayed from the log.
    static func replayed(_ ledger: Ledger, rules: Rules) throws -> Reports {
        let projector = try ledger.replay(rules: [rules])[0]
        return Reports(projector) { projector.tierHistory(of: $0) }
    }

    /// The reports as read from the stored projections, which must be current.
    static func stored(_ ledger: Ledger, rules: Rules) throws -> Reports {
        #expect(try ledger.projectionsAreCurrent())
        return try Reports(try ledger.projection(rules: rules)) { member in
            try ledger.projection(rules: rules, parts: [], for: member).tierHistory(of: member)
        }
    }
}
