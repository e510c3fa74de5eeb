/// Why an event is refused: the field at fault and the reason, in plain words.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, such as `"data.value"` or `"type"`; empty when the whole line is at fault.
    public var field: String
    /// What is wrong.
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}
