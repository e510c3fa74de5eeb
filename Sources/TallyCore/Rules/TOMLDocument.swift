/// A strict reader for the subset of TOML that rule files use: comments, `[table]` and
/// `[dotted.table]` headers, and `key = value` with integers, strings and booleans.
///
/// Every error names the file's line. Keys keep their order of appearance.
struct TOMLDocument {
    /// A value and the line it was given on.
    struct Entry {
        var value: Value
        var line: Int
    }

    enum Value: Equatable {
        case integer(Int64)
        case string(String)
        case bool(Bool)
    }

    /// Tables by dotted name (`""` is the root), each with its keys in order.
    private(set) var tables: [(name: String, line: Int, entries: [(key: String, entry: Entry)])] = [("", 0, [])]

    /// A parse or rule error at a line of a rule file.
    struct Failure: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var reason: String
        var description: String { "\(file)\(line > 0 ? ":\(line)" : ""): \(reason)" }
    }

    init(parsing text: String, file: String) throws {
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = Self.stripComment(String(rawLine)).trimmingWhitespace()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[["), line.count > 2 else {
                    throw Failure(file: file, line: number, reason: "a table header is written [name]")
                }
                let name = String(line.dropFirst().dropLast()).trimmingWhitespace()
                guard Self.isValidKey(name, dotted: true) else { throw Failure(file: file, line: number, reason: "invalid table name '\(name)'") }
                guard !tables.contains(where: { $0.name == name }) else { throw Failure(file: file, line: number, reason: "table [\(name)] is defined twice") }
                tables.append((name, number, []))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw Failure(file: file, line: number, reason: "expected key = value")
            }
            let key = String(line[..<equals]).trimmingWhitespace()
            let valueText = String(line[line.index(after: equals)...]).trimmingWhitespace()
            guard Self.isValidKey(key, dotted: false) else { throw Failure(file: file, line: number, reason: "invalid key '\(key)'") }
            guard let value = Self.parseValue(valueText) else {
                throw Failure(file: file, line: number, reason: "'\(valueText)' is not an integer, a \"string\" or a boolean")
            }
            guard !tables[tables.count - 1].entries.contains(where: { $0.key == key }) else {
                throw Failure(file: file, line: number, reason: "key '\(key)' is given twice")
            }
            tables[tables.count - 1].entries.append((key, Entry(value: value, line: number)))
        }
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "\"", previous != "\\" { inString.toggle() }
            if character == "#", !inString { return String(line[..<index]) }
            previous = character
        }
        return line
    }

    private static func isValidKey(_ key: String, dotted: Bool) -> Bool {
        !key.isEmpty && key.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        } && (dotted || !key.contains("."))
    }

    private static func parseValue(_ text: String) -> Value? {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text.hasPrefix("\"") { return parseBasicString(text).map(Value.string) }
        var digits = text.filter { $0 != "_" }
        if digits.hasPrefix("+") { digits.removeFirst() }
        return Int64(digits).map(Value.integer)
    }

    /// A basic string `"…"` with the escapes \\ \" \n \t; nil when malformed.
    private static func parseBasicString(_ text: String) -> String? {
        var result = ""
        var characters = text.dropFirst().makeIterator()
        while let character = characters.next() {
            switch character {
            case "\"": return characters.next() == nil ? result : nil
            case "\\":
                switch characters.next() {
                case "\\": result.append("\\")
                case "\"": result.append("\"")
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: return nil
                }
            default: result.append(character)
            }
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
