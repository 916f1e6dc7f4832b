import ArgumentParser
import Merchants

/// `mkt merchant remove ID`.
struct MerchantRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Remove a merchant and everything it owns.",
    discussion: "Example: mkt merchant remove M012")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The merchant's id.") var id: String

  func run() async throws {
    let removed = try await MerchantService(store: global.openStore()).remove(id: id)
    try Output(global, output).result(removed) {
      global.quiet ? "" : "removed merchant \($0.id) (\($0.name))"
    }
  }
}
