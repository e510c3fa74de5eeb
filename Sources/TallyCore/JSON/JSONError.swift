/// Why a line is not a valid JSON document, and the byte column (1-based) where it failed.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based byte offset in the line.
    public var column: Int
    /// What is wrong, in plain words.
    public var reason: String

    public var description: String { "invalid JSON at byte \(column): \(reason)" }
}
