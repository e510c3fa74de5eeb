import Foundation
@testable import TallyCore

/// A ledger in a fresh temporary directory, removed when the test ends.
final class TemporaryLedger {
    let directory: String
    let ledger: Ledger

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-\(UUID().uuidString)").path
        ledger = try Ledger(path: directory, options: .init(create: true, noSync: true))
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
}

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Parses a JSON event line and validates it.
func event(_ json: String, defaultTime: Timestamp? = nil) throws -> Event {
    try EventValidator.validate(try JSONReader.parse(Array(json.utf8)), defaultTime: defaultTime)
}
