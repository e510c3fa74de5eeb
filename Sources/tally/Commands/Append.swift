import ArgumentParser
import TallyCore

struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one event and print its seq.",
        discussion: """
            Either TYPE with --actor and data fields as key=value (a value is parsed as JSON \
            when it parses, else taken as a string), or the whole event as --json 'OBJECT'. \
            The time defaults to now. A duplicate (same id and content; without a time, the \
            same type, actor and data) prints the existing seq.
            """)

    @OptionGroup var ledger: LedgerOptions

    @Argument(help: "The event type, such as post or vote.")
    var type: String?

    @Option(help: "Who did it.")
    var actor: String?

    @Option(help: "The event id (the idempotency key); assigned when absent.")
    var id: String?

    @Option(help: "When it happened (RFC 3339); default now.")
    var time: String?

    @Option(name: .customLong("json"), help: "The whole event as a JSON object.")
    var eventJSON: String?

    @Argument(help: "Data fields as key=value.")
    var fields: [String] = []

    func validate() throws {
        if eventJSON != nil, type != nil || actor != nil || id != nil || time != nil || !fields.isEmpty {
            throw ValidationError("give either --json OBJECT or TYPE --actor A [key=value …], not both")
        }
        if eventJSON == nil, type == nil { throw ValidationError("missing the event TYPE (or --json OBJECT)") }
        _ = try dataObject()
    }

    func run() throws {
        try Console.run {
            let object = try eventObject()
            let event = try EventValidator.validate(object, defaultTime: .now())
            let timeIsDefaulted = if case .object(let envelope) = object { envelope["time"] == nil } else { false }
            let outcome = try ledger.open(create: true).append(event, timeIsDefaulted: timeIsDefaulted)
            if case .duplicate(let seq) = outcome { Console.error("tally: duplicate of seq \(seq), not appended again") }
            Console.print(String(outcome.seq))
        }
    }

    private func eventObject() throws -> JSONValue {
        if let eventJSON {
            do { return try JSONReader.parse(Array(eventJSON.utf8)) } catch { throw LedgerError.refused(line: nil, Refusal(field: "", reason: error.description)) }
        }
        let data = try dataObject()
        var envelope = JSONObject([("type", .string(type ?? ""))])
        if let actor { envelope.members.append(("actor", .string(actor))) }
        if let id { envelope.members.append(("id", .string(id))) }
        if let time { envelope.members.append(("time", .string(time))) }
        envelope.members.append(("data", .object(data)))
        return .object(envelope)
    }

    /// The data fields as an object, in order; also made in ``validate()``, so that a
    /// malformed field is reported with this command's usage.
    private func dataObject() throws -> JSONObject {
        var data = JSONObject()
        for field in fields {
            guard let equals = field.firstIndex(of: "="), equals != field.startIndex else {
                throw ValidationError("data fields are key=value, not '\(field)'")
            }
            let key = String(field[..<equals])
            let text = String(field[field.index(after: equals)...])
            guard data[key] == nil else { throw ValidationError("data field '\(key)' is given twice") }
            data.members.append((key, (try? JSONReader.parse(Array(text.utf8))) ?? .string(text)))
        }
        return data
    }
}
