import Foundation

/// Wall-clock timing.
enum Clock {
    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Runs a program to completion, capturing its output and peak memory.
enum Subprocess {
    struct Outcome {
        var output: String
        var maxRSSKilobytes: Int
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
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(process.processIdentifier, &status, 0, &usage)
        guard status == 0 else { throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (\(status))") }
        return Outcome(output: String(decoding: output, as: UTF8.self), maxRSSKilobytes: usage.ru_maxrss)
    }
}
