#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Rules {
    /// The rules written as their three rule files, in ``fileNames`` order: every rule
    /// spelled out, tiers lowest first, reasons by name. Reading the files back
    /// (``load(directory:)``) gives these rules again, so a ledger's adopted rules can be
    /// recovered as files to edit.
    public var files: [(name: String, text: String)] {
        [("engagement.toml", engagementFile), ("incentives.toml", incentivesFile), ("service.toml", serviceFile)]
    }

    /// Writes ``files`` into `directory`, creating it when it does not exist. Refuses, writing
    /// nothing, when any of the three files is already there.
    /// - Throws: ``RulesError`` naming the path and the reason.
    public func write(directory: String) throws {
        guard !directory.isEmpty else { throw RulesError(description: "the rules directory's path is empty") }
        if mkdir(directory, 0o755) != 0, errno != EEXIST { throw Self.failure(directory) }
        let paths = files.map { (path: "\(directory)/\($0.name)", text: $0.text) }
        if let existing = paths.first(where: { access($0.path, F_OK) == 0 }) {
            throw RulesError(description: "\(existing.path) already exists; nothing was written")
        }
        var written: [String] = []
        do {
            for file in paths {
                try Self.create(file.path, file.text)
                written.append(file.path)
            }
        } catch {
            for path in written { unlink(path) }
            throw error
        }
    }

    private var engagementFile: String {
        var text = "# Engagement rules: how activity turns into a score and a loyalty tier.\n"
        text += "name = \(Self.quoted(engagement.name))\n[weights]\n"
        for (name, value) in engagement.weights { text += "\(name) = \(value)\n" }
        text += "[limits]\ndaily_cap = \(engagement.dailyCap)\n[tiers]\n"
        for tier in engagement.tiers { text += "\(tier.name) = \(tier.threshold)\n" }
        return text
    }

    private var incentivesFile: String {
        var text = "# Incentive rules: which points awards the rules justify (checked by `tally audit`).\n"
        for (name, reason) in incentives.reasons.sorted(byBytesOf: \.key) {
            text += "[reasons.\(name)]\n"
            if let points = reason.points { text += "points = \(points)\n" }
            if let ref = reason.ref { text += "ref = \(Self.quoted(ref.rawValue))\n" }
        }
        return text
    }

    private var serviceFile: String {
        var text = "# Service rules: complaint handling limits, in hours from the complaint's time.\n"
        for (table, hours) in [("first_response_hours", service.firstResponseHours), ("resolution_hours", service.resolutionHours)] {
            text += "[\(table)]\n"
            for severity in Severity.allCases.reversed() { text += "\(severity.rawValue) = \(hours[severity] ?? 0)\n" }
        }
        return text
    }

    /// A TOML basic string, with the escapes the rule files' reader knows.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func create(_ path: String, _ text: String) throws {
        guard let file = fopen(path, "wx") else { throw failure(path) }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        guard fclose(file) == 0, written == bytes.count else {
            let error = failure(path)
            unlink(path)
            throw error
        }
    }

    private static func failure(_ path: String) -> RulesError {
        RulesError(description: "\(path): \(String(cString: strerror(errno)))")
    }
}
