internal import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses of the memory map the data file backs. A key or value LMDB hands out from
/// inside the map must end inside them: LMDB trusts the sizes stored in its pages, and a
/// damaged one would send a reader past the end of the file, where the map faults (SIGBUS)
/// instead of failing. A write transaction's own changes live in ordinary memory, outside
/// the map, and are not checked.
///
/// The file only grows while it is open, so its size, measured once the transaction's
/// snapshot is taken, holds every page of that snapshot. A write transaction can grow it
/// further: past 512 MB of changes, LMDB writes pages to the file before the commit
/// ("spills" them) and reads them back through the map. So an entry past the size measured
/// last is checked against the file's size again before it is refused, and that size is
/// kept for the transaction's later checks (in storage the transaction frees with
/// ``release()``: a transaction's stored properties must stay trivial). One transaction, and
/// its cursors, share it, on one thread at a time.
struct MapBounds {
    private let mapStart: UInt
    private let mapEnd: UInt
    private let fileEnd: UnsafeMutablePointer<UInt>

    /// Nil when where the map is, or the file's size, is not known.
    init?(mapping: MappedPages?, fileSize: Int?) {
        guard let mapping, let fileSize else { return nil }
        (mapStart, mapEnd) = (mapping.start, mapping.start + UInt(mapping.length))
        fileEnd = .allocate(capacity: 1)
        fileEnd.initialize(to: mapping.start + UInt(min(fileSize, mapping.length)))
    }

    /// Frees what it holds; it must not be used afterwards.
    func release() {
        fileEnd.deallocate()
    }

    /// Whether `value` lies outside the map, or inside it and within a file of `fileEnd`.
    private func holds(_ value: MDB_val, fileEnd: UInt) -> Bool {
        let start = UInt(bitPattern: value.mv_data)
        guard start >= mapStart, start < mapEnd else { return true }
        let (end, overflow) = start.addingReportingOverflow(UInt(value.mv_size))
        return !overflow && end <= fileEnd
    }

    /// Throws ``LMDBError/corrupted`` unless `key` and `value` lie outside the map or within
    /// the file, whose size `fileSize` measures again when they seem not to.
    func check(_ key: MDB_val, _ value: MDB_val, fileSize: () -> Int?, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if holds(key, fileEnd: fileEnd.pointee), holds(value, fileEnd: fileEnd.pointee) { return }
        if let size = fileSize() {
            fileEnd.pointee = max(fileEnd.pointee, mapStart + UInt(min(size, Int(mapEnd - mapStart))))
            if holds(key, fileEnd: fileEnd.pointee), holds(value, fileEnd: fileEnd.pointee) { return }
        }
        throw LMDBError(code: MDB_CORRUPTED, operation: "\(operation()) (an entry reaching past the end of data.mdb)")
    }

    /// The size of the data file of the environment of transaction `txn`.
    static func fileSize(of txn: OpaquePointer) -> Int? {
        var fd: Int32 = -1
        var info = stat()
        guard let env = mdb_txn_env(txn), mdb_env_get_fd(env, &fd) == 0, fstat(fd, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
