/// A text for each of some ids, looked up byte for byte: the KPI each action was opened
/// with, the category of each complaint, the role of each member.
///
/// The ids compare as LMDB compares keys: "é" as U+00E9 and as "e" + U+0301 are two ids
/// with a text each (a `[String: String]` would take them for one).
public struct TextByID: Sendable {
    var byID: [ExactString: String] = [:]

    /// No text for any id.
    public init() {}

    /// The text of `id`, if it has one.
    public subscript(id: String) -> String? { byID[ExactString(id)] }
}
