import ArgumentParser
import Merchants
import MktCore

/// `mkt merchant add ID …`.
struct MerchantAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Add a merchant.",
    discussion: "Example: mkt merchant add acme-de --name 'ACME Deutschland' --country DE")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The merchant's id: letters, digits, '.', '_' or '-'.") var id: String
  @Option(help: "The shop's display name.") var name: String
  @Option(help: "Where the merchant is established: one of the 25 country codes (DE, FR, …).")
  var country: String
  @Option(help: "The currency of its prices (default: the country's).") var currency: String?
  @Option(help: "gross: prices include VAT (default); net: they exclude it.") var prices: String?
  @Option(help: "The shop's web domain, e.g. acme-shop.de.") var domain: String?

  func run() async throws {
    let merchant = try MerchantService.merchant(
      id: id, name: name, country: country, currency: currency, prices: prices, domain: domain)
    let added = try await MerchantService(store: global.openStore()).add(merchant)
    try Output(global, output).result(added) {
      global.quiet ? "" : "added merchant \($0.id) (\($0.name), \($0.country), \($0.currency))"
    }
  }
}
