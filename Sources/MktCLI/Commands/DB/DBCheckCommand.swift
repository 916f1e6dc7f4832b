import ArgumentParser
import MktCore
import Store

/// `mkt db check`: SQLite's integrity and foreign-key checks; exit 1 on problems.
struct DBCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the database's integrity and foreign keys; exit 1 if anything is wrong.",
    discussion: "Example: mkt db check || mkt db backup broken-copy.db")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  func run() async throws {
    let report = try await Store.check(path: global.databasePath, busyTimeout: global.busyTimeout)
    try Output(global, output).result(report) { report in
      guard !report.ok else { return global.quiet ? "" : "ok: integrity and foreign keys" }
      return
        (report.integrityProblems.map { "integrity: \($0)" }
        + report.foreignKeyViolations.map { "foreign key: \($0)" }).joined(separator: "\n")
    }
    if !report.ok { throw Reported(.problemsFound, "the database check found problems") }
  }
}
