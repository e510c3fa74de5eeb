internal import Crypto

/// The keys and values of the stored projection tables (docs/storage.md). Decoding is
/// bounds-checked: damaged bytes throw ``DecodeError``, never trap.
enum ProjectionKey {
    /// The ids, each length-prefixed, then the fixed-width integers, big-endian.
    static func make(_ ids: String..., integer: UInt64? = nil) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        for id in ids { writer.append(lengthPrefixed: id) }
        if let integer { writer.append(bigEndian: integer) }
        return writer.bytes
    }

    static func day(_ member: String, _ day: Int64) -> [UInt8] { make(member, integer: UInt64(bitPattern: day)) }

    /// Ref ‖ reason. A reason longer than 256 bytes is replaced by 0xFF and its SHA-256
    /// (0xFF never occurs in UTF-8), keeping the key under LMDB's 511-byte limit.
    static func award(reason: String, ref: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.append(lengthPrefixed: ref)
        if reason.utf8.count <= 256 {
            writer.append(contentsOf: reason.utf8)
        } else {
            writer.append(0xFF)
            writer.append(contentsOf: SHA256.hash(data: Array(reason.utf8)))
        }
        return writer.bytes
    }

    static func appendFinding(_ finding: AuditFinding, to writer: inout ByteWriter) {
        writer.append(bigEndian: finding.seq)
        writer.append(UInt8(AuditFinding.Kind.allCases.firstIndex(of: finding.finding)!))
    }
}

/// A member's stored totals.
struct MemberRow: Equatable {
    var score: Int64
    var tier: Int
    var points: Int64
    var awardsChecked: Int

    func encode(into writer: inout ByteWriter) {
        writer.append(bigEndian: score)
        writer.append(UInt8(truncatingIfNeeded: tier))
        writer.append(bigEndian: points)
        writer.append(varint: UInt64(awardsChecked))
    }
}

extension MemberRow {
    init(decoding bytes: UnsafeRawBufferPointer, tiers: Int) throws(DecodeError) {
        var reader = ByteReader(bytes)
        score = try reader.int64()
        tier = Int(try reader.byte())
        points = try reader.int64()
        awardsChecked = Int(clamping: try reader.varint())
        guard tier < tiers else { throw DecodeError.malformed("tier \(tier) of \(tiers)") }
    }
}

/// A vote as stored: the author by name.
struct StoredVote {
    var value: Int64
    var day: Int64
    var author: String
    var seq: UInt64

    /// Appends the stored form of `vote`, whose author's id is the UTF-8 `author`.
    static func encode(_ vote: Projector.Vote, author: UnsafeRawBufferPointer, into writer: inout ByteWriter) {
        writer.append(bigEndian: vote.value)
        writer.append(bigEndian: vote.day)
        writer.append(bigEndian: vote.seq)
        writer.append(lengthPrefixed: author)
    }
}

extension StoredVote {
    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        value = try reader.int64()
        day = try reader.int64()
        seq = try reader.uint64()
        author = try reader.string()
    }
}

extension Projector.DayCredit {
    func encode(into writer: inout ByteWriter) {
        writer.append(bigEndian: positive)
        writer.append(bigEndian: negative)
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        self.init(positive: try reader.int64(), negative: try reader.int64())
    }
}

extension Projector.Answer {
    func encode(into writer: inout ByteWriter) {
        writer.append(bigEndian: seq)
        writer.append((counted ? 1 : 0) | (correct ? 2 : 0))
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        let seq = try reader.uint64()
        let flags = try reader.byte()
        self.init(seq: seq, counted: flags & 1 != 0, correct: flags & 2 != 0)
    }
}

extension AuditFinding {
    /// The value stored under ``ProjectionKey/appendFinding(_:to:)``.
    func encodeValue(into writer: inout ByteWriter) {
        writer.append(bigEndian: points)
        writer.append(lengthPrefixed: member)
        writer.append(lengthPrefixed: reason)
    }

    init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(DecodeError) {
        var keyReader = ByteReader(key)
        seq = try keyReader.uint64()
        let kind = Int(try keyReader.byte())
        guard kind < Kind.allCases.count else { throw DecodeError.malformed("finding \(kind)") }
        finding = Kind.allCases[kind]
        var reader = ByteReader(value)
        points = try reader.int64()
        member = try reader.string()
        reason = try reader.string()
    }
}

extension TierChange {
    /// The value stored under member ‖ seq: the time and the tier indexes.
    func encodeValue(tiers: [EngagementRules.Tier], into writer: inout ByteWriter) {
        writer.append(bigEndian: time.milliseconds)
        writer.append(UInt8(truncatingIfNeeded: tiers.firstIndex { $0.name == from } ?? 0))
        writer.append(UInt8(truncatingIfNeeded: tiers.firstIndex { $0.name == to } ?? 0))
    }

    init(seq: UInt64, value: UnsafeRawBufferPointer, tiers: [EngagementRules.Tier]) throws(DecodeError) {
        var reader = ByteReader(value)
        let time = Timestamp(milliseconds: try reader.int64())
        let from = Int(try reader.byte()), to = Int(try reader.byte())
        guard from < tiers.count, to < tiers.count else { throw DecodeError.malformed("tier index") }
        self.init(seq: seq, time: time, from: tiers[from].name, to: tiers[to].name)
    }
}

extension Projector.ComplaintState {
    func encode(into writer: inout ByteWriter) {
        writer.append(lengthPrefixed: member)
        writer.append(UInt8(Severity.allCases.firstIndex(of: severity)!))
        writer.append(bigEndian: openedAt.milliseconds)
        writer.append((firstResponseAt != nil ? 1 : 0) | (resolvedAt != nil ? 2 : 0) | (outcome != nil ? 4 : 0) | (satisfaction != nil ? 8 : 0))
        if let firstResponseAt { writer.append(bigEndian: firstResponseAt.milliseconds) }
        if let resolvedAt { writer.append(bigEndian: resolvedAt.milliseconds) }
        if let outcome { writer.append(lengthPrefixed: outcome) }
        if let satisfaction { writer.append(bigEndian: satisfaction) }
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        member = try reader.string()
        let severity = Int(try reader.byte())
        guard severity < Severity.allCases.count else { throw DecodeError.malformed("severity \(severity)") }
        self.severity = Severity.allCases[severity]
        openedAt = Timestamp(milliseconds: try reader.int64())
        let flags = try reader.byte()
        firstResponseAt = flags & 1 != 0 ? Timestamp(milliseconds: try reader.int64()) : nil
        resolvedAt = flags & 2 != 0 ? Timestamp(milliseconds: try reader.int64()) : nil
        outcome = flags & 4 != 0 ? try reader.string() : nil
        satisfaction = flags & 8 != 0 ? try reader.int64() : nil
    }
}

extension Projector.ActionState {
    func encode(into writer: inout ByteWriter) {
        writer.append(lengthPrefixed: title)
        writer.append(lengthPrefixed: owner)
        writer.append(bigEndian: dueDay)
        writer.append(lengthPrefixed: due)
        writer.append(UInt8(ActionStatus.allCases.firstIndex(of: status)!))
        writer.append(varint: UInt64(complaints.count))
        for complaint in complaints { writer.append(lengthPrefixed: complaint) }
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        title = try reader.string()
        owner = try reader.string()
        dueDay = try reader.int64()
        due = try reader.string()
        let status = Int(try reader.byte())
        guard status < ActionStatus.allCases.count else { throw DecodeError.malformed("action status \(status)") }
        self.status = ActionStatus.allCases[status]
        let count = try reader.varint()
        guard count <= UInt64(bytes.count) else { throw DecodeError.truncated }
        complaints = try (0..<Int(count)).map { _ throws(DecodeError) in try reader.string() }
    }
}
