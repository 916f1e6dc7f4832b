import ArgumentParser
import Foundation
import Store

/// `mkt init`: create the database, or upgrade it to this binary's schema.
struct InitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create the database, or upgrade it to this mkt's schema.",
    discussion: "Example: mkt init --db /var/lib/mkt/shop.db")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  struct Result: Encodable {
    var path: String
    var created: Bool
    var schemaVersion: Int

    enum CodingKeys: String, CodingKey {
      case path, created
      case schemaVersion = "schema_version"
    }
  }

  func run() async throws {
    let path = global.databasePath
    let existed = FileManager.default.fileExists(atPath: path)
    let store = try global.openStore(.create)
    let info = try await store.info()
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    try Output(global, output).result(
      Result(path: absolute, created: !existed, schemaVersion: info.schemaVersion)
    ) { result in
      global.quiet && !result.created
        ? ""
        : "\(result.created ? "created" : "ready:") \(result.path) (schema version \(result.schemaVersion))"
    }
  }
}
