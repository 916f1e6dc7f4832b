import Foundation
import Testing

/// What one run of the built `mkt` binary did.
struct Run {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// The built `mkt` binary: `MKT_BIN`, else beside the test bundle.
let mktBinary: String = {
  if let path = ProcessInfo.processInfo.environment["MKT_BIN"] { return path }
  return Bundle.main.bundleURL.appendingPathComponent("mkt").path
}()

/// Runs `mkt` with `arguments` in `directory`, with no terminal and a clean `MKT_*` environment.
func mkt(
  _ arguments: [String], in directory: String, environment: [String: String] = [:],
  stdin: String? = nil, stdoutPath: String? = nil, executable: String = mktBinary
) throws -> Run {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MKT_") }
  env["NO_COLOR"] = "1"
  env.merge(environment) { $1 }
  process.environment = env
  let out = directory + "/.stdout-\(UUID().uuidString)"
  let err = directory + "/.stderr-\(UUID().uuidString)"
  _ = FileManager.default.createFile(atPath: out, contents: nil)
  _ = FileManager.default.createFile(atPath: err, contents: nil)
  defer {
    try? FileManager.default.removeItem(atPath: out)
    try? FileManager.default.removeItem(atPath: err)
  }
  process.standardOutput = FileHandle(forWritingAtPath: stdoutPath ?? out)
  process.standardError = FileHandle(forWritingAtPath: err)
  if let stdin {
    let pipe = Pipe()
    process.standardInput = pipe
    try process.run()
    try pipe.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try pipe.fileHandleForWriting.close()
  } else {
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }
  process.waitUntilExit()
  return Run(
    status: process.terminationStatus,
    stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
    stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// Runs a bash script (for pipes) in `directory`; `$MKT` names the binary.
func shell(_ script: String, in directory: String, environment: [String: String] = [:]) throws
  -> Run
{
  try mkt(
    ["-c", script], in: directory, environment: environment.merging(["MKT": mktBinary]) { $1 },
    executable: "/bin/bash")
}

/// A fresh working directory for one test, removed afterwards.
final class Workspace {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "mkt-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
  }

  func run(_ arguments: String..., environment: [String: String] = [:], stdin: String? = nil)
    throws -> Run
  {
    try run(arguments, environment: environment, stdin: stdin)
  }

  func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil)
    throws -> Run
  {
    try mkt(arguments, in: path, environment: environment, stdin: stdin)
  }

  func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: file(name)) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension Workspace {
  /// A workspace whose database holds the example merchants and the example feeds named (file
  /// in examples/feeds, merchant, and any more import arguments).
  static func shop(_ feeds: [(file: String, merchant: String, more: [String])]) throws
    -> Workspace
  {
    let workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv")
    for feed in feeds {
      _ = try workspace.run(
        ["import", packageRoot + "/examples/feeds/" + feed.file, "--merchant", feed.merchant]
          + feed.more)
    }
    return workspace
  }
}

/// The repository's root, found from this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().path

/// Compares `actual` with the golden file `Fixtures/<name>`; `MKT_RECORD_GOLDEN=1` rewrites it
/// and records an issue, so a recording run never passes.
func expectGolden(
  _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let path = packageRoot + "/Tests/mktTests/Fixtures/" + name
  if ProcessInfo.processInfo.environment["MKT_RECORD_GOLDEN"] == "1" {
    try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
    Issue.record(
      "recorded golden file \(name); run again without MKT_RECORD_GOLDEN",
      sourceLocation: sourceLocation)
    return
  }
  guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
    Issue.record(
      "no golden file \(path); record it with MKT_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
    return
  }
  if expected != actual {
    let diff = lineDiff(expected: expected, actual: actual)
    Issue.record("\(name) differs:\n\(diff)", sourceLocation: sourceLocation)
  }
}

/// The lines that differ, as `-expected` / `+actual` with line numbers.
func lineDiff(expected: String, actual: String) -> String {
  let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
  var lines: [String] = []
  for index in 0..<max(old.count, new.count) {
    let a = index < old.count ? String(old[index]) : nil
    let b = index < new.count ? String(new[index]) : nil
    if a != b {
      if let a { lines.append("\(index + 1) -" + a) }
      if let b { lines.append("\(index + 1) +" + b) }
    }
  }
  return lines.joined(separator: "\n")
}
