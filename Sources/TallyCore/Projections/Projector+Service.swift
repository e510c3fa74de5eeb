internal import LMDB

/// Complaint handling and improvement actions (CONTRACT.md section 5, `service.toml`).
extension Projector {
    struct ComplaintState {
        var member: String
        var severity: Severity
        var openedAt: Timestamp
        var firstResponseAt: Timestamp?
        var resolvedAt: Timestamp?
        var outcome: String?
        var satisfaction: Int64?
    }

    struct ActionState {
        var title: String
        var owner: String
        var dueDay: Int64
        var due: String
        var status: ActionStatus
        var complaints: [String]
    }

    func applyComplaintEvent(_ event: RecordView, _ txn: borrowing Transaction) throws {
        guard let id = event.string("complaint") else { return }
        if event.type == .complaint {
            guard try complaint(id, txn) == nil, let severity = event.string("severity").flatMap(Severity.init(rawValue:)) else { return }
            complaints[id] = ComplaintState(member: event.actorName, severity: severity, openedAt: event.time)
            return
        }
        guard var state = try complaint(id, txn), state.resolvedAt == nil else { return }
        if state.firstResponseAt == nil { state.firstResponseAt = event.time }
        if event.type == .resolution {
            state.resolvedAt = event.time
            state.outcome = event.string("outcome")
            state.satisfaction = event.integer("satisfaction")
        }
        complaints[id] = state
    }

    /// The complaint's state, if it was filed.
    func complaint(_ id: String, _ txn: borrowing Transaction) throws -> ComplaintState? {
        if let state = complaints[id] { return state }
        guard !holdsEverything, let stored = try store!.complaint(id, txn) else { return nil }
        complaints[id] = stored
        return stored
    }

    func applyActionEvent(_ event: RecordView, _ txn: borrowing Transaction) throws {
        guard let id = event.string("action") else { return }
        if event.type == .actionOpened {
            guard try action(id, txn) == nil, let due = event.string("due"), let dueDay = Timestamp.day(iso8601: due) else { return }
            let linked = event.strings("complaints")
            actions[id] = ActionState(title: event.string("title") ?? "", owner: event.string("owner") ?? "", dueDay: dueDay,
                                      due: due, status: .planned, complaints: linked)
        } else {
            guard var state = try action(id, txn), !state.status.isFinal,
                  let status = event.string("status").flatMap(ActionStatus.init(rawValue:)) else { return }
            state.status = status
            if let owner = event.string("owner") { state.owner = owner }
            actions[id] = state
        }
    }

    private func action(_ id: String, _ txn: borrowing Transaction) throws -> ActionState? {
        if let state = actions[id] { return state }
        guard !holdsEverything, let stored = try store!.action(id, txn) else { return nil }
        actions[id] = stored
        return stored
    }
}
