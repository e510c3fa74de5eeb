internal import LMDB

extension Projector {
    /// The pairs of one stored table, as a flush makes them: the day credits as rows whose
    /// pairs are made while they are written (``RowWrites``), the others in an arena. A
    /// closed set, so that every use is specialised: through `any KeyOrderedPairs`, the rows'
    /// generic code looked up type metadata for every row, and a rebuild took half again as
    /// long.
    ///
    /// Only the day credits are rows: their keys are a member id and a day, quick to make in
    /// key order. A vote's key and value name three ids all over memory; made while written,
    /// they took 110 ms of a rebuild's flush where the arena, filled on another thread while
    /// the days are written, takes 45 ms to write.
    enum TableWrites: KeyOrderedPairs {
        case pairs(SortedWrites)
        case days(RowWrites<DayCredit>)

        var database: Database {
            switch self {
            case .pairs(let writes): writes.database
            case .days(let writes): writes.database
            }
        }

        /// `writes`, sorted.
        static func sorting(_ writes: consuming SortedWrites) -> TableWrites {
            writes.sort()
            return .pairs(writes)
        }

        /// `rows`, sorted.
        static func sorting(_ rows: consuming RowWrites<DayCredit>) -> TableWrites {
            rows.sort()
            return .days(rows)
        }

        func forEachPair(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
            switch self {
            case .pairs(let writes): try writes.forEachPair(body)
            case .days(let writes): try writes.forEachPair(body)
            }
        }
    }
}
