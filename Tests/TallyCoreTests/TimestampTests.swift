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

/// ISO weeks run Monday to Sunday, and belong to the year of their Thursday: 2026 began on a
/// Thursday, so it has a week 53 that ends in 2027, and 1 January 1970 (day 0) was a Thursday.
@Test(arguments: [
    ("2026-03-01", "2026-02-23", "2026-W09", "2026-03"),  // a Sunday
    ("2026-03-02", "2026-03-02", "2026-W10", "2026-03"),  // a Monday
    ("2026-12-31", "2026-12-28", "2026-W53", "2026-12"),
    ("2027-01-03", "2026-12-28", "2026-W53", "2027-01"),
    ("2027-01-04", "2027-01-04", "2027-W01", "2027-01"),
    ("2025-01-01", "2024-12-30", "2025-W01", "2025-01"),
    ("1969-12-29", "1969-12-29", "1970-W01", "1969-12"),
    ("1969-12-28", "1969-12-22", "1969-W52", "1969-12"),
    ("0000-01-01", "-0001-12-27", "-0001-W52", "0000-01"),  // a Saturday: the week of the year -1
])
func periodsStartOnTheirFirstDayAndAreNamedTheISOWay(day: String, weekStart: String, week: String, month: String) throws {
    let number = try #require(Timestamp.day(iso8601: day))
    let start = ActivityPeriod.week.start(ofDay: number)
    #expect(Timestamp.dateString(day: start) == weekStart)
    #expect(ActivityPeriod.week.label(start: start) == week)
    #expect(ActivityPeriod.week.next(after: start) == start + 7)
    let monthStart = ActivityPeriod.month.start(ofDay: number)
    #expect(ActivityPeriod.month.label(start: monthStart) == month)
    #expect(Timestamp.dateString(day: monthStart) == month + "-01")
    #expect(Timestamp.dateString(day: ActivityPeriod.month.next(after: monthStart) - 1).hasPrefix(month))
    #expect(ActivityPeriod.day.label(start: ActivityPeriod.day.start(ofDay: number)) == day)
}
