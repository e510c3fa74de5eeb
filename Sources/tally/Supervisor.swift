#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the command line again in a child process, for a command that must give an answer
/// even when the process reading the ledger dies: LMDB trusts the bytes of its pages, and some
/// damage (a node flagged as holding duplicates in a table that has none) makes its own search
/// dereference a null pointer instead of failing. `verify`, which users run on ledgers they
/// suspect, does its checks in a child and turns such a death into a report.
enum Supervisor {
    /// How a child ended.
    enum Ending: Equatable {
        case exited(Int32)
        /// Killed by this signal.
        case signalled(Int32)

        /// Whether the signal is a fault of the process itself (not an interrupt from outside).
        var isFault: Bool {
            guard case .signalled(let signal) = self else { return false }
            return [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP].contains(signal)
        }
    }

    /// Set in the child's environment.
    private static let childVariable = "TALLY_SUPERVISED_CHILD"

    /// Whether this process is a supervised child.
    static var isChild: Bool { getenv(childVariable) != nil }

    /// Runs this process's executable with its arguments as a child, sharing its standard
    /// streams, and waits for it. Nil when no child could be started.
    static func runChild() -> Ending? {
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        guard length > 0 else { return nil }
        // The child's crash report would only repeat what the parent says.
        let environment = [childVariable + "=1", "SWIFT_BACKTRACE=enable=no"]
            + CommandLine.environment.filter { !$0.hasPrefix(childVariable + "=") && !$0.hasPrefix("SWIFT_BACKTRACE=") }
        var pid = pid_t()
        let status = withCStrings(CommandLine.arguments) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, path, nil, nil, argv, envp) }
        }
        guard status == 0 else { return nil }
        var ended: Int32 = 0
        while waitpid(pid, &ended, 0) == -1 {
            guard errno == EINTR else { return nil }
        }
        // WIFEXITED, WEXITSTATUS and WTERMSIG, which Swift does not import.
        return ended & 0x7F == 0 ? .exited((ended >> 8) & 0xFF) : .signalled(ended & 0x7F)
    }

    /// Calls `body` with `strings` as a null-terminated array of C strings.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

extension CommandLine {
    /// This process's environment, as `NAME=value` strings.
    static var environment: [String] {
        var result: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            result.append(String(cString: pointer))
            entry += 1
        }
        return result
    }
}
