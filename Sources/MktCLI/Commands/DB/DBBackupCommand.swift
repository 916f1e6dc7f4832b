import ArgumentParser
import Foundation
import MktCore
import Store

/// `mkt db backup FILE`: a consistent copy with SQLite's online backup, while others write.
struct DBBackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the database to a file, consistently, while other processes keep writing.",
    discussion: "Example: mkt db backup /backups/mkt-$(date +%F).db")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(
    help: "The backup file to write; '-' or a device or pipe is written in place.",
    completion: .file(extensions: ["db"]))
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
    let destination = file == "-" ? "/dev/stdout" : file
    let size = try await global.openStore(.reading).backup(to: destination, overwrite: force)
    let out = Output(global, output)
    if case .inPlace = try OutputPath.check(destination, replacingDatabases: true) {
      // The copy went to a device or pipe, perhaps standard output: the summary must not.
      out.note("backed up to \(file) (\(size) bytes)")
      return
    }
    try out.result(Result(path: file, sizeBytes: size)) {
      global.quiet ? "" : "backed up to \($0.path) (\($0.sizeBytes) bytes)"
    }
  }
}
