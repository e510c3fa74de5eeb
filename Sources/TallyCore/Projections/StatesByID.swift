/// The complaints or improvement actions a projector follows, by id: found by id while
/// events are applied, and listed in the byte order of their ids (as LMDB orders keys) for
/// reports.
///
/// A report loads them from a stored table, whose scan gives them in id order already: they
/// are kept in that order, neither hashed nor sorted, and found by binary search should
/// anything look one up.
///
/// ```swift
/// var complaints = StatesByID<ComplaintState>()
/// complaints["c-2"] = opened
/// complaints["c-10"]          // nil
/// complaints.inIDOrder()      // [("c-2", opened)]
/// ```
struct StatesByID<State> {
    private var ids: [String] = []
    private var states: [State] = []
    /// The position of each id, byte for byte; nil while every state was loaded in id order.
    private var positions: [ExactString: Int]? = [:]
    /// Whether `ids` are in byte order.
    private var isInIDOrder = true

    init() {}

    /// The number of states.
    var count: Int { ids.count }

    /// The state of `id`. Setting `nil` is not supported (states are not removed).
    subscript(id: String) -> State? {
        get { position(of: id).map { states[$0] } }
        set {
            guard let newValue else { preconditionFailure("StatesByID does not remove states") }
            if positions == nil { positions = Dictionary(uniqueKeysWithValues: zip(ids.map(ExactString.init), ids.indices)) }
            if let position = positions?[ExactString(id)] {
                states[position] = newValue
                return
            }
            if let last = ids.last, !last.precedesInKeyOrder(id) { isInIDOrder = false }
            positions?[ExactString(id)] = ids.count
            ids.append(id)
            states.append(newValue)
        }
    }

    /// Adds states read from a table scan, whose ids come in byte order, each new.
    mutating func loadInIDOrder(_ loaded: [(id: String, state: State)]) {
        precondition(ids.isEmpty, "states are loaded into an empty table")
        ids = loaded.map(\.id)
        states = loaded.map(\.state)
        positions = nil
    }

    /// Every id and its state, by id bytes.
    func inIDOrder() -> [(id: String, state: State)] {
        let order = isInIDOrder ? Array(ids.indices) : ids.indices.sorted(byBytesOf: { ids[$0] })
        return order.map { (ids[$0], states[$0]) }
    }

    /// Calls `body` with every id and its state, in no particular order.
    func forEach(_ body: (String, State) throws -> Void) rethrows {
        for index in ids.indices { try body(ids[index], states[index]) }
    }

    private func position(of id: String) -> Int? {
        if let positions { return positions[ExactString(id)] }
        // Loaded in id order: a binary search.
        var (low, high) = (0, ids.count)
        while low < high {
            let middle = (low + high) / 2
            if ids[middle].precedesInKeyOrder(id) { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low].isExactly(id) ? low : nil
    }
}
