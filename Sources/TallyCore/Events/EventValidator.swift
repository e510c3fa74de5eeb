/// Checks a parsed JSON value against the envelope and the catalog (CONTRACT.md sections
/// 1 and 2), without looking at the ledger's state.
///
/// ```swift
/// let event = try EventValidator.validate(value)              // import: time required
/// let event = try EventValidator.validate(value, defaultTime: .now())   // append
/// ```
public enum EventValidator {
    /// Validates one event.
    /// - Parameter defaultTime: the time to use when `time` is absent; `nil` makes it required.
    /// - Throws: ``Refusal`` naming the field and the reason.
    public static func validate(_ value: JSONValue, defaultTime: Timestamp? = nil) throws(Refusal) -> Event {
        guard case .object(let object) = value else {
            throw Refusal(field: "", reason: "an event must be a JSON object, not \(value.typeName)")
        }
        var type: EventType?
        var actor: String?
        var time: Timestamp?
        var id: String?
        var data: JSONObject?
        var extras = JSONObject()
        for (key, field) in object.members {
            switch key {
            case "type":
                guard case .string(let name) = field else { throw Refusal(field: "type", reason: "must be a string, not \(field.typeName)") }
                guard let known = EventType(rawValue: name) else { throw Refusal(field: "type", reason: "unknown event type \"\(name)\"") }
                type = known
            case "actor": actor = try checkID(field, "actor")
            case "id": id = try checkID(field, "id")
            case "time": time = try checkTime(field, "time")
            case "data":
                guard case .object(let fields) = field else { throw Refusal(field: "data", reason: "must be an object, not \(field.typeName)") }
                data = fields
            default:
                var name = key
                if !name.withUTF8({ Event.isLedgerField(UnsafeRawBufferPointer($0)) }) { extras.members.append((key, field)) }
            }
        }
        guard let type else { throw Refusal(field: "type", reason: "is required") }
        guard let actor else { throw Refusal(field: "actor", reason: "is required") }
        guard let time = time ?? defaultTime else { throw Refusal(field: "time", reason: "is required") }
        guard let data else { throw Refusal(field: "data", reason: "is required") }
        for rule in type.fields {
            guard let field = data[rule.name], field != .null || rule.isRequired else {
                if rule.isRequired { throw Refusal(field: "data.\(rule.name)", reason: "is required for \(type.rawValue)") }
                continue
            }
            try check(field, rule)
        }
        return Event(id: id, type: type, actor: actor, time: time, data: data, extras: extras)
    }

    private static func check(_ value: JSONValue, _ rule: FieldRule) throws(Refusal) {
        let name = "data.\(rule.name)"
        switch rule.kind {
        case .id: _ = try checkID(value, name)
        case .text: _ = try string(value, name)
        case .label:
            if try string(value, name).isEmpty { throw Refusal(field: name, reason: "must not be empty") }
        case .oneOf(let allowed):
            let text = try string(value, name)
            guard allowed.contains(text) else {
                throw Refusal(field: name, reason: "\"\(text)\" is not one of \(allowed.joined(separator: ", "))")
            }
        case .bool:
            guard case .bool = value else { throw Refusal(field: name, reason: "must be true or false, not \(value.typeName)") }
        case .integer(let range):
            let number = try integer(value, name)
            guard range.contains(number) else { throw Refusal(field: name, reason: "must be between \(range.lowerBound) and \(range.upperBound), not \(number)") }
        case .voteValue:
            let number = try integer(value, name)
            guard number == 1 || number == -1 || number == 0 else { throw Refusal(field: name, reason: "must be 1, -1 or 0, not \(number)") }
        case .nonZeroPoints:
            let number = try integer(value, name)
            guard number != 0 else { throw Refusal(field: name, reason: "must not be zero") }
            guard number.magnitude <= FieldRule.maxPoints else { throw Refusal(field: name, reason: "must be at most \(FieldRule.maxPoints) in magnitude") }
        case .time: _ = try checkTime(value, name)
        case .date:
            let text = try string(value, name)
            guard Timestamp.day(iso8601: text) != nil else { throw Refusal(field: name, reason: "\"\(text)\" is not a date YYYY-MM-DD") }
        case .answerKey:
            guard case .object(let key) = value else { throw Refusal(field: name, reason: "must be an object of question id to answer, not \(value.typeName)") }
            for (question, answer) in key.members {
                guard !question.isEmpty, question.utf8.count <= FieldRule.maxIDBytes else {
                    throw Refusal(field: name, reason: "question ids must be 1–\(FieldRule.maxIDBytes) bytes")
                }
                _ = try string(answer, "\(name).\(question)")
            }
        case .idList:
            guard case .array(let elements) = value else { throw Refusal(field: name, reason: "must be an array of ids, not \(value.typeName)") }
            for (index, element) in elements.enumerated() { _ = try checkID(element, "\(name)[\(index)]") }
        }
    }

    private static func string(_ value: JSONValue, _ name: String) throws(Refusal) -> String {
        guard case .string(let text) = value else { throw Refusal(field: name, reason: "must be a string, not \(value.typeName)") }
        return text
    }

    private static func integer(_ value: JSONValue, _ name: String) throws(Refusal) -> Int64 {
        switch value {
        case .integer(let number): return number
        case .number(let literal): throw Refusal(field: name, reason: "must be an integer, not \(literal)")
        default: throw Refusal(field: name, reason: "must be an integer, not \(value.typeName)")
        }
    }

    private static func checkID(_ value: JSONValue, _ name: String) throws(Refusal) -> String {
        let text = try string(value, name)
        guard !text.isEmpty, text.utf8.count <= FieldRule.maxIDBytes else {
            throw Refusal(field: name, reason: "must be 1–\(FieldRule.maxIDBytes) bytes of UTF-8, not \(text.utf8.count)")
        }
        return text
    }

    private static func checkTime(_ value: JSONValue, _ name: String) throws(Refusal) -> Timestamp {
        let text = try string(value, name)
        guard let time = Timestamp(rfc3339: text) else {
            throw Refusal(field: name, reason: "\"\(text.prefix(64))\" is not an RFC 3339 time such as 2026-03-14T09:30:00Z")
        }
        guard Timestamp.writable.contains(time) else {
            throw Refusal(field: name, reason: "\"\(text)\" falls outside the years 0000 to 9999 in UTC, where no RFC 3339 UTC time can name it")
        }
        return time
    }
}
