import Foundation

/// Runs a program to completion; returns its exit status and its standard output and error together.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}

/// `runProgram` for async tests: the waiting happens on a thread of its own. Swift's cooperative
/// pool has one thread per core (two here); a test blocking one of them while a program runs (a
/// schemathesis run takes half a minute) stalls every other test in the process, and their
/// deadlines then fire although nothing was slow but the waiting.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
    try await offCooperativePool { try runProgram(executable, arguments, environment: environment) as (status: Int32, output: String) }
}

/// Runs blocking `work` (reading a pipe, waiting for a process) on a new thread and waits for it
/// without holding a thread of Swift's cooperative pool.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
