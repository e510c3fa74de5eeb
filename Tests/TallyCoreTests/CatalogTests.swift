import Foundation
import Testing
@testable import TallyCore

@Test(arguments: EventType.allCases)
func schemaAgreesWithTheSwiftCatalog(type: EventType) throws {
    let url = repositoryRoot.appendingPathComponent("events/\(type.rawValue).schema.json")
    let schema = try JSONReader.parse(Array(try Data(contentsOf: url)))
    guard case .object(let root) = schema, case .object(let properties)? = root["properties"],
          case .object(let data)? = properties["data"], case .object(let fields)? = data["properties"],
          case .array(let required)? = data["required"] else {
        Issue.record("\(url.lastPathComponent) lacks properties.data")
        return
    }
    #expect(properties["type"] == .object(JSONObject([("const", .string(type.rawValue))])))
    #expect(Set(required.compactMap { if case .string(let name) = $0 { name } else { nil } }) == Set(type.fields.filter(\.isRequired).map(\.name)))
    #expect(Set(fields.members.map(\.key)) == Set(type.fields.map(\.name)))
}

@Test func everySchemaFileNamesAKnownType() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("events").path)
        .filter { $0.hasSuffix(".schema.json") }
    #expect(Set(files) == Set(EventType.allCases.map { "\($0.rawValue).schema.json" }))
}

@Test func everySampleIsAccepted() throws {
    let directory = repositoryRoot.appendingPathComponent("events/samples")
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".ndjson") {
        let temporary = try TemporaryLedger()
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        let report = try temporary.importLines(text)
        #expect(report.rejected == 0)
        #expect(report.appended == text.split(separator: "\n").count)
        #expect(Set(try temporary.events().map(\.event.type)) == Set(EventType.allCases), "\(file) should show every type")
    }
}
