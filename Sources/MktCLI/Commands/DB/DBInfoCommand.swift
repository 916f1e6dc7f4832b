import ArgumentParser
import Store

/// `mkt db info`: where the database is, its schema, size and row counts.
struct DBInfoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Show the database's path, schema version, size, journal mode and row counts.",
    discussion: "Example: mkt db info --json | jq .tables")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  func run() async throws {
    let info = try await global.openStore(.reading).info()
    try Output(global, output).result(info) { info in
      var lines = [
        "path            \(info.path)",
        "schema version  \(info.schemaVersion) (this mkt knows \(info.latestSchemaVersion))",
        "sqlite          \(info.sqliteVersion)",
        "journal mode    \(info.journalMode)",
        "size            \(info.sizeBytes) bytes (+ \(info.walBytes) in the WAL), "
          + "\(info.freePages) free pages of \(info.pageSize) bytes",
        "tables",
      ]
      let width = info.tables.map(\.name.count).max() ?? 0
      for table in info.tables {
        lines.append(
          "  " + table.name + String(repeating: " ", count: width - table.name.count + 2)
            + "\(table.rows) rows")
      }
      return lines.joined(separator: "\n")
    }
  }
}
