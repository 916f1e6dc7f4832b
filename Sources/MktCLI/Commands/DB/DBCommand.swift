import ArgumentParser

/// `mkt db`: look after the database file.
struct DBCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db",
    abstract: "Inspect, check and back up the database.",
    subcommands: [DBInfoCommand.self, DBCheckCommand.self, DBBackupCommand.self])
}
