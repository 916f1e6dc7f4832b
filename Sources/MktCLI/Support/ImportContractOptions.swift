import ArgumentParser
import Foundation
import MktCore

/// `--mode`'s values, mirroring ``ImportMode`` (ArgumentParser conformances stay in this target).
enum ImportModeArgument: String, ExpressibleByArgument, CaseIterable {
  case upsert, replace, delete

  var mode: ImportMode {
    switch self {
    case .upsert: .upsert
    case .replace: .replace
    case .delete: .delete
    }
  }
}

/// `--empty-means`'s values, mirroring ``EmptyCellPolicy``.
enum EmptyCellArgument: String, ExpressibleByArgument, CaseIterable {
  case keep, clear

  var policy: EmptyCellPolicy { self == .keep ? .keep : .clear }
}

/// The flags of the import contract (DESIGN.md §6), shared by every bulk command.
struct ImportContractOptions: ParsableArguments {
  @Option(
    help:
      "upsert: add and change rows; replace: also remove rows absent from the input; delete: remove the listed rows."
  )
  var mode: ImportModeArgument = .upsert

  @Flag(help: "Read, validate and show what would change; write nothing.")
  var dryRun = false

  @Option(help: "Skip and report up to N bad rows; one more aborts with nothing written.")
  var maxErrors = 0

  @Option(help: ArgumentHelp("Write every rejected row to this file as NDJSON.", valueName: "file"))
  var errors: String?

  @Option(
    help: "What an empty cell means: keep the stored value, or clear it. __EMPTY__ always clears.")
  var emptyMeans: EmptyCellArgument = .keep

  func validate() throws {
    guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
  }

  var options: ImportOptions {
    ImportOptions(
      mode: mode.mode, dryRun: dryRun, maxErrors: maxErrors, emptyCells: emptyMeans.policy)
  }

  /// Writes `issues` as NDJSON to `--errors FILE`, if given (an empty file when there are none).
  func writeErrors(_ issues: [RowIssue]) throws {
    try Self.writeErrors(issues, to: errors)
  }

  /// Writes `issues` as NDJSON to `path`, if given (an empty file when there are none).
  static func writeErrors(_ issues: [RowIssue], to errors: String?) throws {
    guard let errors else { return }
    let file = try OutputFile(path: errors)
    do {
      for issue in issues { try file.write(try Output.json(issue, pretty: false) + "\n") }
      try file.finish()
    } catch {
      file.abandon()
      throw error
    }
  }

  /// Refuses an `--errors FILE` that may not be written before anything is imported.
  static func checkErrorsPath(_ errors: String?) throws {
    guard let errors, errors != "-" else { return }
    _ = try OutputPath.check(errors, protecting: GlobalOptions.knownDatabases)
  }

  /// Runs an import, writing `--errors FILE` whether it succeeds or aborts.
  func run(_ body: () async throws -> ImportSummary) async throws -> ImportSummary {
    try Self.checkErrorsPath(errors)
    do {
      let summary = try await body()
      try writeErrors(summary.issues)
      return summary
    } catch let error as ImportError {
      if case .tooManyErrors(_, _, _, let issues) = error { try writeErrors(issues) }
      throw error
    }
  }
}
