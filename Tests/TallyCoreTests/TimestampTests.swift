import Testing
@testable import TallyCore

@Test(arguments: [
    ("2026-03-14T09:30:00Z", "2026-03-14T09:30:00.000Z"),
    ("2026-03-14T17:30:00+08:00", "2026-03-14T09:30:00.000Z"),
    ("2026-03-14T00:30:00.1234+08:00", "2026-03-13T16:30:00.123Z"),
    ("2024-02-29T23:59:59.999-05:30", "2024-03-01T05:29:59.999Z"),
    ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500Z"),
    ("2026-01-01t00:00:00z", "2026-01-01T00:00:00.000Z"),
])
func normalisesToUTCMilliseconds(input: String, expected: String) throws {
    #expect(try #require(Timestamp(rfc3339: input)).rfc3339 == expected)
}

@Test(arguments: ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
                  "2026-01-01 00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+8:00", "yesterday", ""])
func refusesInvalidTimes(input: String) {
    #expect(Timestamp(rfc3339: input) == nil)
}

@Test func daysAreUTCCalendarDays() throws {
    let late = try #require(Timestamp(rfc3339: "2026-03-15T07:59:59.999+08:00"))
    let early = try #require(Timestamp(rfc3339: "2026-03-15T08:00:00+08:00"))
    #expect(late.day + 1 == early.day)
    #expect(Timestamp.dateString(day: early.day) == "2026-03-15")
    #expect(Timestamp.day(iso8601: "2026-03-15") == early.day)
    #expect(Timestamp(milliseconds: -1).day == -1)
}
