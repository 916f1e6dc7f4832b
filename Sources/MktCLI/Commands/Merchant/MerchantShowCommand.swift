import ArgumentParser
import Merchants
import Store

/// `mkt merchant show ID`.
struct MerchantShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one merchant.",
    discussion: "Example: mkt merchant show M001 --json")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The merchant's id.") var id: String

  func run() async throws {
    let merchant = try await MerchantService(store: global.openStore(.reading)).merchant(id: id)
    try Output(global, output).result(merchant, text: MerchantCommand.describe)
  }
}
