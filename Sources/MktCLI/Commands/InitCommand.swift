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
    var upgradedFrom: Int?
    var schemaVersion: Int

    enum CodingKeys: String, CodingKey {
      case path, created
      case upgradedFrom = "upgraded_from"
      case schemaVersion = "schema_version"
    }

    var text: String {
      if created { return "created \(path) (schema version \(schemaVersion))" }
      if let upgradedFrom {
        return "upgraded \(path) from schema version \(upgradedFrom) to \(schemaVersion)"
      }
      return "ready: \(path) (schema version \(schemaVersion))"
    }
  }

  func run() async throws {
    let path = global.databasePath
    let existed = FileManager.default.fileExists(atPath: path)
    let store = try global.openStore(.create)
    let info = try await store.info()
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let result = Result(
      path: absolute, created: !existed, upgradedFrom: store.upgradedFrom,
      schemaVersion: info.schemaVersion)
    try Output(global, output).result(result) { result in
      global.quiet && !result.created && result.upgradedFrom == nil ? "" : result.text
    }
  }
}
