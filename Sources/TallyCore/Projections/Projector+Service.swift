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

    func applyComplaintEvent(_ event: RecordView) {
        guard let id = event.string("complaint") else { return }
        switch event.type {
        case .complaint:
            guard complaints[id] == nil, let severity = event.string("severity").flatMap(Severity.init(rawValue:)) else { return }
            complaints[id] = ComplaintState(member: event.actorName, severity: severity, openedAt: event.time)
        case .complaintResponse:
            guard complaints[id]?.resolvedAt == nil else { return }
            if complaints[id]?.firstResponseAt == nil { complaints[id]?.firstResponseAt = event.time }
        case .resolution:
            guard var state = complaints[id], state.resolvedAt == nil else { return }
            if state.firstResponseAt == nil { state.firstResponseAt = event.time }
            state.resolvedAt = event.time
            state.outcome = event.string("outcome")
            state.satisfaction = event.integer("satisfaction")
            complaints[id] = state
        default: break
        }
    }

    func applyActionEvent(_ event: RecordView) {
        guard let id = event.string("action") else { return }
        if event.type == .actionOpened {
            guard actions[id] == nil, let due = event.string("due"), let dueDay = Timestamp.day(iso8601: due) else { return }
            let linked = event.strings("complaints")
            actions[id] = ActionState(title: event.string("title") ?? "", owner: event.string("owner") ?? "", dueDay: dueDay,
                                      due: due, status: .planned, complaints: linked)
        } else {
            guard var state = actions[id], !state.status.isFinal,
                  let status = event.string("status").flatMap(ActionStatus.init(rawValue:)) else { return }
            state.status = status
            if let owner = event.string("owner") { state.owner = owner }
            actions[id] = state
        }
    }
}
