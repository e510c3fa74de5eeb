extension Projector {
    /// What an event names that a projector interns: as the bytes in its record (``Keys``),
    /// or interned (``Names``).
    struct Named<Value> {
        /// The actor.
        var actor: Value
        /// The `member` of a `points_award`.
        var awarded: Value?
        /// The `post` of a post, the `reply` of a reply, the `target` of a vote.
        var content: Value?
        /// The `post` a reply answers: a post or another reply.
        var parent: Value?
    }

    /// The members and the post or reply an event names, interned.
    typealias Names = Named<Int32>

    /// The bytes of what an event names, valid as long as the record they were read from.
    typealias Keys = Named<UnsafeRawBufferPointer>
}

extension Projector.Named<Int32> {
    /// Interns what `event` names; new ids are the next ones of each interner.
    init(of event: RecordView, members: inout Interner, contents: inout Interner) {
        self.init(interning: Projector.Keys(of: event), members: &members, contents: &contents)
    }

    /// Interns `keys`: members first, then contents, each in field order.
    init(interning keys: Projector.Keys, members: inout Interner, contents: inout Interner) {
        actor = members.intern(keys.actor).id
        awarded = keys.awarded.map { members.intern($0).id }
        content = keys.content.map { contents.intern($0).id }
        parent = keys.parent.map { contents.intern($0).id }
    }
}

extension Projector.Named<UnsafeRawBufferPointer> {
    init(of event: RecordView) {
        actor = event.actor
        awarded = event.type == .pointsAward ? event.bytes("member") : nil
        let contentField: StaticString? = switch event.type {
        case .post: "post"
        case .reply: "reply"
        case .vote: "target"
        default: nil
        }
        content = contentField.flatMap { event.bytes($0) }
        parent = event.type == .reply ? event.bytes("post") : nil
    }

    /// Appends the slots of `members` and `contents` where these keys are looked up (see
    /// ``Interner/readSlots(_:)``).
    func appendSlots(members: Interner, to memberSlots: inout [Int], contents: Interner, to contentSlots: inout [Int]) {
        memberSlots.append(members.slotIndex(of: actor))
        if let awarded { memberSlots.append(members.slotIndex(of: awarded)) }
        if let content { contentSlots.append(contents.slotIndex(of: content)) }
        if let parent { contentSlots.append(contents.slotIndex(of: parent)) }
    }
}
