/// The improvement actions that name each complaint (an `action_opened`'s `complaints`),
/// cancelled ones left out: a complaint none names has not turned into an improvement.
public struct ComplaintActions: Sendable {
    private var byComplaint: [ExactString: [String]] = [:]

    /// - Parameter actions: every action and its state, in id order.
    init(_ actions: [(id: String, state: Projector.ActionState)]) {
        for (action, state) in actions where state.status != .cancelled {
            for complaint in state.complaints {
                let key = ExactString(complaint)
                if byComplaint[key]?.last?.isExactly(action) != true { byComplaint[key, default: []].append(action) }
            }
        }
    }

    /// The ids of the actions, not cancelled, that name `complaint` byte for byte, in id order.
    public subscript(complaint: String) -> [String] { byComplaint[ExactString(complaint)] ?? [] }
}

extension Projector {
    /// Which improvement actions, not cancelled, name each complaint (needs ``Parts/actions``).
    public func complaintActions() -> ComplaintActions { ComplaintActions(actions.inIDOrder()) }
}
