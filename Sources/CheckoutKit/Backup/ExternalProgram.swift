import Foundation

/// Runs a program of the machine (PostgreSQL's `pg_dump`, `pg_restore`, `psql`) to its end: the
/// well-kept tools for what they do, instead of our own dump format.
struct ExternalProgram {
    let name: String

    struct Failure: Error, CustomStringConvertible {
        let program: String
        let status: Int32
        let output: String
        var description: String { "\(program) exited with status \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))" }
    }

    /// The program's path on `PATH`; nil when it is not installed.
    var path: String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs with `arguments` and `environment` added to this process's; standard output as text.
    /// - Throws: `Failure` with the program's standard error when it exits with another status than 0;
    ///   `StartupError` when it is not installed.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        guard let path else {
            throw StartupError(description: "\(name) is not installed (Debian: apt-get install postgresql-client)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files, not pipes: a program writing more than a pipe holds never blocks on a reader.
        let (out, err) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        // A file that cannot be made is reported when it is opened for the program, below.
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        // A cancelled task (the service shutting down) stops the program instead of waiting for it.
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }
        }
        let output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(program: name, status: status, output: (try? String(contentsOf: err, encoding: .utf8)) ?? "") }
        return output
    }
}
