import Foundation

/// Wall-clock timing.
enum Clock {
    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Runs a program to completion, capturing its output.
enum Subprocess {
    struct Outcome {
        var output: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ program: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus))")
        }
        return Outcome(output: String(decoding: output, as: UTF8.self))
    }

    /// Runs a program under GNU time and returns its peak resident memory in KiB.
    /// (A child's own `ru_maxrss` would include the pages it shared with this process at fork.)
    static func peakRSSKilobytes(_ program: String, _ arguments: [String], scratch: String) throws -> Int {
        _ = try run("/usr/bin/time", ["-f", "%M", "-o", scratch, program] + arguments)
        return Int((try String(contentsOfFile: scratch, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
