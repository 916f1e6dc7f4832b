import ArgumentParser
import Foundation
import Store

/// `mkt db backup FILE`: a consistent copy with SQLite's online backup, while others write.
struct DBBackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the database to a file, consistently, while other processes keep writing.",
    discussion: "Example: mkt db backup /backups/mkt-$(date +%F).db")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The backup file to write.", completion: .file(extensions: ["db"]))
  var file: String
  @Flag(help: "Replace the file if it exists.") var force = false

  struct Result: Encodable {
    var path: String
    var sizeBytes: Int64

    enum CodingKeys: String, CodingKey {
      case path
      case sizeBytes = "size_bytes"
    }
  }

  func run() async throws {
    let size = try await global.openStore().backup(to: file, overwrite: force)
    try Output(global, output).result(Result(path: file, sizeBytes: size)) {
      global.quiet ? "" : "backed up to \($0.path) (\($0.sizeBytes) bytes)"
    }
  }
}
