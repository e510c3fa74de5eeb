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

    /// The peak resident memory of the largest child waited for so far, in KiB.
    static func largestChildRSSKilobytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return usage.ru_maxrss
    }
}
