/// The rules of `service.toml`: complaint SLA limits per severity, in hours.
public struct ServiceRules: Sendable, Equatable {
    public var firstResponseHours: [Severity: Int64]
    public var resolutionHours: [Severity: Int64]
}

extension ServiceRules {
    /// Reads the rules of a parsed rule file named `file`, refusing what the file may not say.
    init(_ document: TOMLDocument, file: String) throws {
        var limits: [String: [Severity: Int64]] = ["first_response_hours": [:], "resolution_hours": [:]]
        for table in document.tables {
            if table.name.isEmpty, table.entries.isEmpty { continue }
            guard limits[table.name] != nil else {
                let line = table.name.isEmpty ? table.entries[0].entry.line : table.line
                throw TOMLDocument.Failure(file: file, line: line, reason: table.name.isEmpty ? "unknown key '\(table.entries[0].key)'" : "unknown table [\(table.name)]")
            }
            for (key, entry) in table.entries {
                guard let severity = Severity(rawValue: key) else {
                    throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown severity '\(key)' (known: low, medium, high, critical)")
                }
                guard case .integer(let hours) = entry.value, hours >= 0 else {
                    throw TOMLDocument.Failure(file: file, line: entry.line, reason: "'\(key)' must be a non-negative number of hours")
                }
                limits[table.name]![severity] = hours
            }
        }
        for (name, table) in limits {
            if let missing = Severity.allCases.first(where: { table[$0] == nil }) {
                throw TOMLDocument.Failure(file: file, line: 0, reason: "[\(name)] has no limit for '\(missing.rawValue)'")
            }
        }
        firstResponseHours = limits["first_response_hours"]!
        resolutionHours = limits["resolution_hours"]!
    }
}
