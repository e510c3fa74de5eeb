#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The transactions this process has open, or is beginning, in one environment.
///
/// LMDB moves its memory map when the map size changes (to grow it, or to adopt the size
/// another process grew it to), and every pointer an open transaction handed out would then
/// dangle. LMDB leaves it to the caller to make sure no transaction of the process is open;
/// this count does. A transaction is counted before it begins, under the lock, and the map
/// is moved only under the same lock with the count at zero, so no transaction can begin
/// while it moves. It also keeps where the map is, which changes only then.
final class OpenTransactions: @unchecked Sendable {  // every access holds `mutex`
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var count = 0
    private var mapping: MappedPages?

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<R, E>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Counts a transaction about to begin, and returns where the map is (nil where that is
    /// not known); pair it with ``end()``, whether or not it began.
    func beginning() -> MappedPages? {
        locked {
            count += 1
            return mapping
        }
    }

    /// Where the map is, as last found.
    var currentMapping: MappedPages? { locked { mapping } }

    /// Counts a transaction out once LMDB has freed it (ended, or failed to begin).
    func end() {
        locked { count -= 1 }
    }

    /// Runs `move`, which changes the map and returns where it now is, if no transaction is
    /// open or beginning, and returns whether it ran. New transactions wait until it returns.
    func ifNoneOpen(_ move: () throws(LMDBError) -> MappedPages?) throws(LMDBError) -> Bool {
        try locked { () throws(LMDBError) -> Bool in
            guard count == 0 else { return false }
            mapping = try move()
            return true
        }
    }
}
