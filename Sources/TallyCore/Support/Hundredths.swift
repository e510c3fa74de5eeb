/// A number to two decimal places, held as a whole number of hundredths: the hours and mean
/// satisfaction of an SLA summary. Written without trailing zeros (`2.5`, `0.25`, `12`), in
/// text and as a JSON number alike.
public struct Hundredths: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 100.
    public let hundredths: Int64

    /// `numerator / denominator` rounded to the nearest hundredth, halves away from zero.
    /// - Precondition: `denominator` is positive and `numerator` times 100 fits in 64 bits
    ///   (any span between two RFC 3339 times, in milliseconds, does).
    public init(_ numerator: Int64, over denominator: Int64) {
        let scaled = numerator * 100, half = denominator / 2
        hundredths = scaled >= 0 ? (scaled + half) / denominator : (scaled - half) / denominator
    }

    /// Milliseconds as hours.
    public init(hoursFromMilliseconds milliseconds: Int64) {
        self.init(milliseconds, over: 3_600_000)
    }

    public var description: String {
        let magnitude = hundredths.magnitude
        let sign = hundredths < 0 ? "-" : ""
        let (whole, fraction) = (magnitude / 100, magnitude % 100)
        switch fraction {
        case 0: return "\(sign)\(whole)"
        case let tenths where tenths % 10 == 0: return "\(sign)\(whole).\(tenths / 10)"
        default: return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
        }
    }

    public static func < (left: Hundredths, right: Hundredths) -> Bool { left.hundredths < right.hundredths }
}
