#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three rule files that drive the projections (CONTRACT.md section 5).
///
/// ```swift
/// let rules = try Rules.load(directory: "my-rules")   // files it lacks come from the built-in set
/// rules.engagement.name                               // "default-v1" for the built-in set
/// ```
public struct Rules: Sendable, Equatable {
    public var engagement: EngagementRules
    public var incentives: IncentiveRules
    public var service: ServiceRules

    /// The rule files' names.
    public static let fileNames = ["engagement.toml", "incentives.toml", "service.toml"]

    /// The rules built into the binary: the project's `projections/` files.
    public static let builtIn: Rules = try! Rules(texts: DefaultRules.files)

    /// Parses rule files given as file name → text; missing files fall back to the built-in ones.
    init(texts: [String: String]) throws {
        func document(_ name: String) throws -> TOMLDocument {
            try TOMLDocument(parsing: texts[name] ?? DefaultRules.files[name]!, file: name)
        }
        engagement = try EngagementRules(try document("engagement.toml"), file: "engagement.toml")
        incentives = try IncentiveRules(try document("incentives.toml"), file: "incentives.toml")
        service = try ServiceRules(try document("service.toml"), file: "service.toml")
    }

    /// Loads the rule files of `directory`. A file the directory lacks is taken from the
    /// built-in rules; the directory must hold at least one.
    /// - Throws: ``RulesError`` naming the file, the line and the reason.
    public static func load(directory: String) throws -> Rules {
        guard !directory.isEmpty else { throw RulesError(description: "the rules directory's path is empty") }
        var texts: [String: String] = [:]
        for name in fileNames {
            if let text = try readFile("\(directory)/\(name)") { texts[name] = text }
        }
        guard !texts.isEmpty else {
            throw RulesError(description: "\(directory): no rule files (\(fileNames.joined(separator: ", "))) found")
        }
        do {
            return try Rules(texts: texts)
        } catch let failure as TOMLDocument.Failure {
            var located = failure
            located.file = "\(directory)/\(failure.file)"
            throw RulesError(description: located.description)
        }
    }

    private static func readFile(_ path: String) throws -> String? {
        guard let file = fopen(path, "rb") else {
            if errno == ENOENT { return nil }
            throw RulesError(description: "\(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard let text = bytes.withUnsafeBytes({ UTF8Validation.string($0) }) else {
            throw RulesError(description: "\(path): not valid UTF-8")
        }
        return text
    }
}

/// A rule file that cannot be used: the file, the line and the reason.
public struct RulesError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
