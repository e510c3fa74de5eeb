/// A UTC instant with millisecond precision: milliseconds since 1970-01-01T00:00:00Z.
///
/// ```swift
/// let t = Timestamp(rfc3339: "2026-03-14T17:30:00+08:00")!   // 09:30 UTC
/// t.rfc3339   // "2026-03-14T09:30:00.000Z"
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public var milliseconds: Int64

    public static let millisecondsPerDay: Int64 = 86_400_000

    /// Creates a timestamp from milliseconds since the epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// The UTC day: days since 1970-01-01.
    public var day: Int64 { milliseconds >= 0 ? milliseconds / Self.millisecondsPerDay : (milliseconds - Self.millisecondsPerDay + 1) / Self.millisecondsPerDay }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    /// Digits past milliseconds are truncated. Returns nil for anything else.
    public init?(rfc3339 text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.milliseconds = value
    }

    private static func parse(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard s.count >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for index in at..<(at + count) {
                let digit = Int(s[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = digits(0, 4), s[4] == UInt8(ascii: "-"), let month = digits(5, 2), s[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), s[10] | 0x20 == UInt8(ascii: "t"),
              let hour = digits(11, 2), s[13] == UInt8(ascii: ":"), let minute = digits(14, 2), s[16] == UInt8(ascii: ":"),
              let second = digits(17, 2),
              (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var millis = 0
        if s[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < s.count, let digit = digits(index, 1) {
                if count < 3 { millis = millis * 10 + digit }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            while count < 3 {
                millis *= 10
                count += 1
            }
        }
        guard index < s.count else { return nil }
        var offsetMinutes = 0
        if s[index] | 0x20 == UInt8(ascii: "z") {
            index += 1
        } else if s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-") {
            guard index + 6 == s.count, let oh = digits(index + 1, 2), s[index + 3] == UInt8(ascii: ":"),
                  let om = digits(index + 4, 2), oh < 24, om < 60 else { return nil }
            offsetMinutes = (oh * 60 + om) * (s[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == s.count else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// The times RFC 3339 can write in UTC: the years 0000 to 9999. An offset can take a time
    /// written in them outside (`0000-01-01T00:30:00+01:00` is in the year -1); the ledger
    /// refuses such times, which it could not print back.
    static let writable = Timestamp(milliseconds: Int64(daysFromCivil(year: 0, month: 1, day: 1)) * millisecondsPerDay)
        ... Timestamp(milliseconds: Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * millisecondsPerDay - 1)

    /// The UTC days a stored time can fall on: those of ``writable``, and one day either side
    /// of them, where ledgers written before those times were refused may hold some.
    static let possibleDays = writable.lowerBound.day - 1...writable.upperBound.day + 1

    /// Parses a calendar date `YYYY-MM-DD` to its day number (days since 1970-01-01).
    public static func day(iso8601 text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return Int64(daysFromCivil(year: year, month: month, day: day))
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 bytes) without allocating: the digits go to a
    /// stack buffer, appended at once.
    func append(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: Self.textLength, alignment: 1) { text in
            write(to: text.baseAddress!)
            bytes.append(contentsOf: text)
        }
    }

    /// The length of `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static let textLength = 24

    /// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` to the ``textLength`` bytes at `text`.
    func write(to text: UnsafeMutableRawPointer) {
        let (year, month, day) = Self.civil(fromDays: self.day)
        let msOfDay = Int(milliseconds - self.day * Self.millisecondsPerDay)
        let seconds = msOfDay / 1000
        func put(_ separator: Unicode.Scalar, at offset: Int) { text.storeBytes(of: UInt8(ascii: separator), toByteOffset: offset, as: UInt8.self) }
        /// Writes the two digits of `value`, below 100, at `offset`.
        func putTwoDigits(_ value: Int, at offset: Int) {
            let tens = value / 10
            text.storeBytes(of: UInt8(48 + tens), toByteOffset: offset, as: UInt8.self)
            text.storeBytes(of: UInt8(48 + value - 10 * tens), toByteOffset: offset + 1, as: UInt8.self)
        }
        let shownYear = max(0, year) % 10_000  // years beyond 9999 are never parsed
        putTwoDigits(shownYear / 100, at: 0)
        putTwoDigits(shownYear % 100, at: 2)
        put("-", at: 4)
        putTwoDigits(month, at: 5)
        put("-", at: 7)
        putTwoDigits(day, at: 8)
        put("T", at: 10)
        putTwoDigits(seconds / 3600, at: 11)
        put(":", at: 13)
        putTwoDigits(seconds / 60 % 60, at: 14)
        put(":", at: 16)
        putTwoDigits(seconds % 60, at: 17)
        put(".", at: 19)
        let milliseconds = msOfDay % 1000
        putTwoDigits(milliseconds / 10, at: 20)
        putTwoDigits(milliseconds % 10 * 10, at: 22)  // its first digit is the last of the milliseconds
        put("Z", at: 23)
    }

    /// The calendar date of a day number, `YYYY-MM-DD`.
    public static func dateString(day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(fromDays: day)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    public var description: String { rfc3339 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// `value` in at least `width` digits, a negative one after its sign (the year -1: `-0001`).
private func pad(_ value: Int, _ width: Int) -> String {
    guard value >= 0 else { return "-" + pad(-value, width) }
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
