import ArgumentParser
import Foundation
import Store

/// The options every command takes: which database, how long to wait for it, how much to say.
struct GlobalOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The database file (default: $MKT_DB, else ./mkt.db).", valueName: "path"),
    completion: .file(extensions: ["db"]))
  var db: String?

  @Option(help: "Seconds to wait for another process's lock before giving up with exit 75.")
  var busyTimeout: Double = 5

  @Flag(name: [.short, .long], help: "Print nothing but errors (and the data asked for).")
  var quiet = false

  func validate() throws {
    guard busyTimeout >= 0, busyTimeout <= Self.maxBusyTimeout, busyTimeout.isFinite else {
      throw ValidationError(
        "--busy-timeout must be from 0 to \(Int(Self.maxBusyTimeout)) seconds (got \(busyTimeout))")
    }
    Self.protect(databasePath)
  }

  /// The longest `--busy-timeout` mkt takes: one day.
  static let maxBusyTimeout: Double = 86_400

  private static let lock = NSLock()
  nonisolated(unsafe) private static var protected: [String] = []

  /// The databases this process knows of, which no output file may replace: the command's
  /// `--db`, `$MKT_DB` and `./mkt.db`.
  static var knownDatabases: [String] {
    lock.lock()
    defer { lock.unlock() }
    var paths = protected + ["mkt.db"]
    if let path = ProcessInfo.processInfo.environment["MKT_DB"], !path.isEmpty {
      paths.append(path)
    }
    return paths
  }

  private static func protect(_ path: String) {
    lock.lock()
    defer { lock.unlock() }
    if !protected.contains(path) { protected.append(path) }
  }

  /// `--db`, else `MKT_DB`, else `mkt.db` in the current directory.
  var databasePath: String {
    if let db { return db }
    if let path = ProcessInfo.processInfo.environment["MKT_DB"], !path.isEmpty { return path }
    return "mkt.db"
  }

  /// Moves global options written before the subcommand (`mkt --db x.db merchant list`) to the
  /// end, where ArgumentParser accepts them (`mkt merchant list --db x.db`).
  static func hoisted(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "-q" || argument == "--quiet" {
        leading.append(argument)
        index += 1
      } else if argument == "--db" || argument == "--busy-timeout", index + 1 < arguments.count {
        leading += [argument, arguments[index + 1]]
        index += 2
      } else if argument.hasPrefix("--db=") || argument.hasPrefix("--busy-timeout=") {
        leading.append(argument)
        index += 1
      } else {
        break
      }
    }
    guard !leading.isEmpty, index < arguments.count else { return arguments }
    let rest = Array(arguments[index...])
    if let separator = rest.firstIndex(of: "--") {
      return Array(rest[..<separator]) + leading + Array(rest[separator...])
    }
    return rest + leading
  }

  /// Opens the database, which must exist (`mkt init` creates it).
  ///
  /// Commands that only read pass `.reading`: they never wait for a writer.
  func openStore(_ mode: Store.OpenMode = .existing) throws -> Store {
    try Store.open(path: databasePath, mode: mode, busyTimeout: busyTimeout)
  }
}
