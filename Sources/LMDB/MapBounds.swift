internal import CLMDB

/// Which addresses of the memory map the data file backs, as a transaction begins. A key or
/// value LMDB hands out from inside the map must end inside them: LMDB trusts the sizes
/// stored in its pages, and a damaged one would send a reader past the end of the file,
/// where the map faults (SIGBUS) instead of failing. A write transaction's own changes live in
/// ordinary memory, outside the map, and are not checked.
struct MapBounds {
    private let mapStart: UInt
    private let mapEnd: UInt
    private let fileEnd: UInt

    /// Nil when where the map is, or the file's size, is not known.
    init?(mapping: MappedPages?, fileSize: Int?) {
        guard let mapping, let fileSize else { return nil }
        (mapStart, mapEnd) = (mapping.start, mapping.start + UInt(mapping.length))
        fileEnd = mapping.start + UInt(min(fileSize, mapping.length))
    }

    /// Whether `value` lies outside the map, or inside it and within the file.
    func holds(_ value: MDB_val) -> Bool {
        let start = UInt(bitPattern: value.mv_data)
        guard start >= mapStart, start < mapEnd else { return true }
        let (end, overflow) = start.addingReportingOverflow(UInt(value.mv_size))
        return !overflow && end <= fileEnd
    }

    /// Throws ``LMDBError/corrupted`` unless `key` and `value` are held (``holds(_:)``).
    func check(_ key: MDB_val, _ value: MDB_val, _ operation: @autoclosure () -> String) throws(LMDBError) {
        guard holds(key), holds(value) else {
            throw LMDBError(code: MDB_CORRUPTED, operation: "\(operation()) (an entry reaching past the end of data.mdb)")
        }
    }
}
