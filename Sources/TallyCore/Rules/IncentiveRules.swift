/// The rules of `incentives.toml`: the award reasons and what each must reference.
public struct IncentiveRules: Sendable, Equatable {
    /// What an award of one reason must look like.
    public struct Reason: Sendable, Equatable {
        /// The fixed amount, if any.
        public var points: Int64?
        /// The event type the award's `ref` must name, if any.
        public var ref: EventType?
    }

    public var reasons: [String: Reason]

    /// The reason named exactly `name`, byte for byte (`String`'s `==` would also take a
    /// canonically equivalent name; see ``ExactString``).
    public func reason(named name: String) -> Reason? {
        reasons.index(forKey: name).flatMap { reasons[$0].key.isExactly(name) ? reasons[$0].value : nil }
    }
}

extension IncentiveRules {
    /// Reads the rules of a parsed rule file named `file`, refusing what the file may not say.
    init(_ document: TOMLDocument, file: String) throws {
        var reasons: [String: Reason] = [:]
        for table in document.tables {
            if table.name.isEmpty || table.name == "reasons" {
                if let (key, entry) = table.entries.first { throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown key '\(key)'; reasons go in [reasons.NAME] tables") }
                continue
            }
            let parts = table.name.split(separator: ".")
            guard parts.count == 2, parts[0] == "reasons" else {
                throw TOMLDocument.Failure(file: file, line: table.line, reason: "unknown table [\(table.name)]; reasons go in [reasons.NAME] tables")
            }
            var reason = Reason()
            for (key, entry) in table.entries {
                switch (key, entry.value) {
                case ("points", .integer(let points)):
                    guard points != 0 else { throw TOMLDocument.Failure(file: file, line: entry.line, reason: "points must not be zero") }
                    reason.points = points
                case ("ref", .string(let name)):
                    guard let type = EventType(rawValue: name) else {
                        throw TOMLDocument.Failure(file: file, line: entry.line, reason: "ref \"\(name)\" names no event type")
                    }
                    reason.ref = type
                case ("points", _): throw TOMLDocument.Failure(file: file, line: entry.line, reason: "points must be an integer")
                case ("ref", _): throw TOMLDocument.Failure(file: file, line: entry.line, reason: "ref must be an event type name")
                default: throw TOMLDocument.Failure(file: file, line: entry.line, reason: "unknown key '\(key)' (known: points, ref)")
                }
            }
            reasons[String(parts[1])] = reason
        }
        self.reasons = reasons
    }
}
