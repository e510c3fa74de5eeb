/// A string that is equal only to the same UTF-8 bytes: a dictionary key for ids, which
/// the ledger tells apart as LMDB does, byte by byte.
///
/// `String`'s own `==` compares by Unicode canonical equivalence: "é" (U+00E9) equals
/// "e\u{301}" there, and the Kelvin sign equals "K". Two such ids are two members,
/// complaints or quizzes, and two such answers are not "the exact string" of a quiz's key
/// (CONTRACT.md section 5).
///
/// ```swift
/// var balances: [ExactString: Int64] = [:]
/// balances[ExactString("caf\u{E9}")] = 10
/// balances[ExactString("cafe\u{301}")]   // nil
/// ```
struct ExactString: Hashable, Sendable {
    var text: String

    init(_ text: String) { self.text = text }

    static func == (a: ExactString, b: ExactString) -> Bool { a.text.isExactly(b.text) }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
