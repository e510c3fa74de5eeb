import Testing
@testable import TallyCore

private func envelope(_ type: String, _ data: String, extra: String = "") -> String {
    #"{"type":"\#(type)","actor":"m-1","time":"2026-03-01T10:00:00Z","data":\#(data)\#(extra)}"#
}

/// Lines that section 2 refuses without looking at the ledger, with the field blamed.
@Test(arguments: [
    (#"[1,2]"#, "", "must be a JSON object"),
    (#"{"actor":"m","time":"2026-03-01T10:00:00Z","data":{}}"#, "type", "is required"),
    (#"{"type":"like","actor":"m","time":"2026-03-01T10:00:00Z","data":{}}"#, "type", "unknown event type"),
    (#"{"type":7,"actor":"m","time":"2026-03-01T10:00:00Z","data":{}}"#, "type", "must be a string"),
    (#"{"type":"post","time":"2026-03-01T10:00:00Z","data":{"post":"p"}}"#, "actor", "is required"),
    (#"{"type":"post","actor":"","time":"2026-03-01T10:00:00Z","data":{"post":"p"}}"#, "actor", "1–128 bytes"),
    (#"{"type":"post","actor":"m","data":{"post":"p"}}"#, "time", "is required"),
    (#"{"type":"post","actor":"m","time":"2026-02-30T10:00:00Z","data":{"post":"p"}}"#, "time", "RFC 3339"),
    (#"{"type":"post","actor":"m","time":"0000-01-01T00:30:00+01:00","data":{"post":"p"}}"#, "time", "outside the years 0000 to 9999"),
    (#"{"type":"post","actor":"m","time":"9999-12-31T23:59:59-00:01","data":{"post":"p"}}"#, "time", "outside the years 0000 to 9999"),
    (envelope("quiz_published", #"{"quiz":"q","answers":{},"closes":"9999-12-31T23:30:00-01:00"}"#), "data.closes", "outside the years"),
    (#"{"type":"post","actor":"m","time":"2026-03-01T10:00:00Z"}"#, "data", "is required"),
    (#"{"type":"post","actor":"m","time":"2026-03-01T10:00:00Z","data":[]}"#, "data", "must be an object"),
    (#"{"type":"post","actor":"m","time":"2026-03-01T10:00:00Z","id":"","data":{"post":"p"}}"#, "id", "1–128 bytes"),
    (envelope("post", #"{}"#), "data.post", "is required"),
    (envelope("post", #"{"post":5}"#), "data.post", "must be a string"),
    (envelope("post", #"{"post":"p","kind":"audio"}"#), "data.kind", "not one of"),
    (envelope("post", "{\"post\":\"\(String(repeating: "x", count: 129))\"}"), "data.post", "1–128 bytes"),
    (envelope("reply", #"{"reply":"r"}"#), "data.post", "is required"),
    (envelope("vote", #"{"target":"p","value":2}"#), "data.value", "must be 1, -1 or 0"),
    (envelope("vote", #"{"target":"p","value":1.0}"#), "data.value", "must be an integer"),
    (envelope("vote", #"{"target":"p","value":"1"}"#), "data.value", "must be an integer"),
    (envelope("vote", #"{"target":"p"}"#), "data.value", "is required"),
    (envelope("quiz_published", #"{"quiz":"q","answers":{"q1":1}}"#), "data.answers.q1", "must be a string"),
    (envelope("quiz_published", #"{"quiz":"q","answers":[]}"#), "data.answers", "must be an object"),
    (envelope("quiz_published", #"{"quiz":"q","answers":{},"closes":"soon"}"#), "data.closes", "RFC 3339"),
    (envelope("quiz_answer", #"{"quiz":"q","question":"q1"}"#), "data.answer", "is required"),
    (envelope("points_award", #"{"member":"m","points":0,"reason":"manual"}"#), "data.points", "must not be zero"),
    (envelope("points_award", #"{"member":"m","points":2.5,"reason":"manual"}"#), "data.points", "must be an integer"),
    (envelope("points_award", #"{"member":"m","points":99999999999999999999,"reason":"manual"}"#), "data.points", "must be an integer"),
    (envelope("points_award", #"{"member":"m","points":5}"#), "data.reason", "is required"),
    (envelope("points_redeemed", #"{"points":-5,"reward":"mug"}"#), "data.points", "between 1"),
    (envelope("points_redeemed", #"{"points":0,"reward":"mug"}"#), "data.points", "between 1"),
    (envelope("complaint", #"{"complaint":"c","severity":"urgent"}"#), "data.severity", "not one of"),
    (envelope("complaint", #"{"complaint":"c","severity":"low","public":"yes"}"#), "data.public", "true or false"),
    (envelope("resolution", #"{"complaint":"c","outcome":"fixed"}"#), "data.outcome", "not one of"),
    (envelope("resolution", #"{"complaint":"c","outcome":"resolved","satisfaction":6}"#), "data.satisfaction", "between 1 and 5"),
    (envelope("action_opened", #"{"action":"a","title":"t","owner":"o","due":"2026-02-30"}"#), "data.due", "not a date"),
    (envelope("action_opened", #"{"action":"a","title":"t","owner":"o","due":"2026-03-01","complaints":"c-1"}"#), "data.complaints", "array"),
    (envelope("action_opened", #"{"action":"a","title":"t","owner":"o"}"#), "data.due", "is required"),
    (envelope("action_updated", #"{"action":"a","status":"finished"}"#), "data.status", "not one of"),
] as [(String, String, String)])
func refusesInvalidEvents(line: String, field: String, reason: String) throws {
    let value = try JSONReader.parse(Array(line.utf8))
    do {
        _ = try EventValidator.validate(value)
        Issue.record("accepted \(line)")
    } catch {
        #expect(error.field == field)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }
}

@Test func keepsUnknownFieldsAndNormalisesTime() throws {
    let parsed = try event(#"{"type":"vote","actor":"m","time":"2026-03-01T18:00:00+08:00","source":"wechat","data":{"target":"p","value":-1,"weight":0.5}}"#)
    #expect(parsed.time.rfc3339 == "2026-03-01T10:00:00.000Z")
    #expect(parsed.extras["source"] == .string("wechat"))
    #expect(parsed.data["weight"] == .number("0.5"))
    #expect(parsed.id == nil)
}

/// The first and last milliseconds RFC 3339 can write in UTC are accepted, and print back.
@Test(arguments: [("0000-01-01T01:00:00+01:00", "0000-01-01T00:00:00.000Z"), ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z")])
func acceptsTheTimesOfYears0000To9999(time: String, printed: String) throws {
    #expect(try event(#"{"type":"post","actor":"m","time":"\#(time)","data":{"post":"p"}}"#).time.rfc3339 == printed)
}

@Test func appendDefaultsTheTime() throws {
    let now = Timestamp(milliseconds: 1_790_000_000_000)
    #expect(try event(#"{"type":"post","actor":"m","data":{"post":"p"}}"#, defaultTime: now).time == now)
}

@Test func optionalNullFieldsCountAsAbsent() throws {
    _ = try event(envelope("resolution", #"{"complaint":"c","outcome":"resolved","satisfaction":null}"#))
}
