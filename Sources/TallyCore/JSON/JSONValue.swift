/// A parsed JSON value. Objects keep their keys in document order, and numbers keep
/// their literal text, so an event is exported exactly as it was given.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer literal that fits in `Int64`.
    case integer(Int64)
    /// Any other number, as its literal text (fractions, exponents, out-of-range integers).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type's name, as used in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Semantic equality: object key order does not matter, numbers compare by literal, and
    /// strings and keys byte for byte (not by `String`'s canonical equivalence; see
    /// ``ExactString``).
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.object(a), .object(b)): a.isEquivalent(to: b)
        case let (.array(a), .array(b)): a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case let (.string(a), .string(b)), let (.number(a), .number(b)): a.isExactly(b)
        default: self == other
        }
    }
}

/// A JSON object: its members in document order. Keys are unique (the reader refuses
/// duplicates).
public struct JSONObject: Sendable, Equatable {
    /// The members in document order.
    public var members: [(key: String, value: JSONValue)]

    /// Creates an object from members in order.
    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    /// The value under `key`, byte for byte, if any.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key.isExactly(key) { return member.value }
        return nil
    }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Equality ignoring member order.
    public func isEquivalent(to other: JSONObject) -> Bool {
        guard members.count == other.members.count else { return false }
        return members.allSatisfy { member in other[member.key].map { member.value.isEquivalent(to: $0) } ?? false }
    }
}
