import Foundation
import Testing
@testable import TallyCore

@Test func builtInRulesAreTheProjectFiles() throws {
    for name in Rules.fileNames {
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("projections/\(name)"), encoding: .utf8)
        #expect(DefaultRules.files[name] == file, "\(name) differs from projections/\(name)")
    }
    #expect(Rules.builtIn.engagement.name == "default-v1")
    #expect(Rules.builtIn.engagement.tiers.map(\.name) == ["member", "bronze", "silver", "gold", "platinum"])
    #expect(Rules.builtIn.incentives.reasons["manual"] == IncentiveRules.Reason(points: nil, ref: nil))
    #expect(Rules.builtIn.service.firstResponseHours[.critical] == 1)
}

@Test(arguments: [
    ("engagement.toml", "[tiers]\nmember = 0\n[weights]\npostt = 3\n", "engagement.toml:4: unknown weight 'postt'"),
    ("engagement.toml", "name = \"x\"\n", "the [tiers] table is missing"),
    ("engagement.toml", "[tiers]\nmember = 0\nbronze = 0\n", "have the same threshold 0"),
    ("engagement.toml", "[limits]\ndaily_cap = -5\n[tiers]\nmember = 0\n", "engagement.toml:2: daily_cap must not be negative"),
    ("engagement.toml", "[tiers]\nmember = 0\n[extra]\n", "unknown table [extra]"),
    ("engagement.toml", "[tiers]\nmember = zero\n", "engagement.toml:2: 'zero' is not an integer"),
    ("service.toml", "[first_response_hours]\nurgent = 1\n", "unknown severity 'urgent'"),
    ("service.toml", "[first_response_hours]\nlow = 1\n", "has no limit for"),
    ("incentives.toml", "[reasons.x]\nref = \"like\"\n", "incentives.toml:2: ref \"like\" names no event type"),
    ("incentives.toml", "[reasons.x]\namount = 5\n", "unknown key 'amount'"),
    ("engagement.toml", "name = \"a\"b\"\n[tiers]\nmember = 0\n", "engagement.toml:1:"),
    ("engagement.toml", "name = \"open\n[tiers]\nmember = 0\n", "engagement.toml:1:"),
] as [(String, String, String)])
func refusesBadRuleFiles(file: String, text: String, message: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try text.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
    do {
        _ = try Rules.load(directory: directory.path)
        Issue.record("accepted \(text)")
    } catch {
        #expect("\(error)".contains(message), "\(error)")
        #expect("\(error)".hasPrefix(directory.path + "/" + file), "\(error)")
    }
}

@Test func missingRuleFilesFallBackToTheBuiltInOnes() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "name = \"flat \\\"v2\\\"\" # a comment\n[tiers]\nall = 0\n".write(to: directory.appendingPathComponent("engagement.toml"), atomically: true, encoding: .utf8)
    let rules = try Rules.load(directory: directory.path)
    #expect(rules.engagement.name == #"flat "v2""#)
    #expect(rules.engagement.post == 0)
    #expect(rules.incentives == Rules.builtIn.incentives)
}

/// A ledger keeps the rules it adopted in binary: they read back equal, whatever their
/// names hold, and bytes they did not come from are refused, never trapped on.
@Test func rulesReadBackEqualFromTheirEncoding() throws {
    var odd = Rules.builtIn
    odd.engagement.name = "社区 \"v3\"\n😀"
    odd.engagement.tiers = [.init(name: "probation", threshold: -50), .init(name: "会员", threshold: 0)]
    odd.engagement.dailyCap = 0
    odd.incentives.reasons["bonus"] = IncentiveRules.Reason(points: -3, ref: .reply)
    odd.incentives.reasons["post"] = nil
    odd.service.resolutionHours[.low] = 0
    for rules in [Rules.builtIn, odd] {
        let bytes = rules.encoded()
        #expect(try bytes.withUnsafeBytes { try Rules(decoding: $0) } == rules)
        for length in 0..<bytes.count {
            #expect(throws: DecodeError.self) { try bytes[..<length].withUnsafeBytes { try Rules(decoding: $0) } }
        }
        #expect(throws: DecodeError.self) { try (bytes + [0]).withUnsafeBytes { try Rules(decoding: $0) } }
    }
}

/// An empty `--rules` path is refused as such, not read as the root directory's files.
@Test func anEmptyRulesPathIsRefused() {
    let error = #expect(throws: RulesError.self) { try Rules.load(directory: "") }
    #expect(error?.description == "the rules directory's path is empty")
}

/// `Rules.files` spells every rule out so that reading the files back gives the same rules,
/// whatever the names hold (quotes, backslashes, `#`, newlines, tabs, Chinese, emoji), for
/// the built-in set and random ones; `write` never overwrites a rule file.
@Test func rulesWrittenAsFilesReadBackEqual() throws {
    var generator = SystemRandomNumberGenerator()
    let pieces = ["a", "Z", "_", "-", "7", "社区", "😀", "\"", "\\", "#", "\n", "\t", " ", "=", "[x]", "é"]
    func name() -> String { (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement()! }.joined() }
    let keys = ["member", "金牌", "gold-2", "v_1", "Ünter"]
    var cases = [Rules.builtIn]
    for _ in 0..<50 {
        var rules = Rules.builtIn
        rules.engagement.name = "x" + name()
        rules.engagement.post = .random(in: -1_000...1_000)
        rules.engagement.downvoteReceived = [Int64.min, -1, 0, Int64.max].randomElement()!
        rules.engagement.dailyCap = .random(in: 0...500)
        let thresholds = Set((0..<Int.random(in: 1...keys.count)).map { _ in Int64.random(in: -100...10_000) })
        rules.engagement.tiers = zip(keys.shuffled(), thresholds.sorted()).map { .init(name: $0, threshold: $1) }
        rules.incentives.reasons = [:]
        for reason in keys.shuffled().prefix(.random(in: 0...3)) {
            rules.incentives.reasons[reason] = .init(points: Bool.random() ? .random(in: 1...50) : nil, ref: EventType.allCases.randomElement().flatMap { Bool.random() ? $0 : nil })
        }
        rules.service.firstResponseHours[.critical] = .random(in: 0...100)
        cases.append(rules)
    }
    for rules in cases {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try rules.write(directory: directory)
        #expect(try Rules.load(directory: directory) == rules, "\(rules.engagement.name.debugDescription)")
        let error = #expect(throws: RulesError.self) { try Rules.builtIn.write(directory: directory) }
        #expect(error?.description == "\(directory)/engagement.toml already exists; nothing was written")
        #expect(try Rules.load(directory: directory) == rules)
    }
}

/// The built-in rules' fingerprint is what stored projections are checked against: if a
/// build rendered the rules differently, every ledger an earlier build wrote would read as
/// stale and replay until rebuilt. A change of semantics raises `semanticsVersion` instead.
@Test func theBuiltInRulesKeepTheirFingerprint() {
    #expect(Hex.encode(Rules.builtIn.fingerprint) == "1d963dff08820aee00295420f1420a641edafbe9a6a2f5775a31bf77a013ad8d")
}
