import ArgumentParser
import Merchants
import Store

/// `mkt merchant list`.
struct MerchantListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List merchants, ordered by id.",
    discussion: "Example: mkt merchant list --csv > merchants.csv")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions

  func run() async throws {
    let merchants = try await MerchantService(store: global.openStore(.reading)).list()
    try Output(global, output).rows(merchants, columns: MerchantCommand.columns)
  }
}
