import ArgumentParser
import Catalog
import Foundation
import Recommendations
import Store

/// `mkt catalog`: what the catalog holds.
struct CatalogCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "catalog",
    abstract: "List, show and count the catalog's products.",
    subcommands: [
      CatalogListCommand.self, CatalogShowCommand.self, CatalogStatsCommand.self,
      CatalogExportCommand.self, CatalogTranslateCommand.self,
    ])
}

/// `mkt catalog list`.
struct CatalogListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List products, ordered by merchant and id.",
    discussion: "Example: mkt catalog list --merchant acme-de --csv")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's products.") var merchant: String?
  @Option(help: "At most this many products.") var limit: Int?

  func run() async throws {
    let products = try await CatalogService(store: global.openStore(.reading)).products(
      merchant: merchant, limit: limit)
    try Output(global, output).rows(
      products,
      columns: [
        ("merchant", \.merchantID), ("id", \.id), ("title", \.title), ("brand", { $0.brand ?? "" }),
        ("price", { $0.price ?? "" }), ("sale_price", { $0.salePrice ?? "" }),
        ("availability", { $0.availability ?? "" }),
      ])
  }
}

/// `mkt catalog show ID`.
struct CatalogShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one product's attributes as the catalog holds them, with its badges.",
    discussion: """
      Badges: sale (a sale price below the regular one in force now), low-stock (available, \
      fewer than 5 units), bestseller (top tenth of its category by purchases over the last 30 \
      days of events, as of the last mkt recs train), new (first stored within 14 days), \
      top-rated (a rating score of 4.5 or more from 5 reviews or more: mkt ratings import).

      Example: mkt catalog show SKU-0000001 --merchant M003
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The product id.") var id: String
  @Option(help: "The merchant, when several have this id.") var merchant: String?

  func run() async throws {
    let store = try global.openStore(.reading)
    let product = try await CatalogService(store: store).product(id: id, merchant: merchant)
    let object = (try? JSONSerialization.jsonObject(with: Data(product.attributes.utf8))) ?? [:]
    let marks = try await RecommendationService(store: store).marks(of: product.id)
    var shown: [String: Any] = [
      "merchant_id": product.merchantID, "updated_at": product.updatedAt,
      "attributes": object, "badges": marks.badges.map(\.rawValue), "reviews": marks.reviews,
    ]
    if let rating = marks.rating { shown["rating"] = rating }
    let pretty = try JSONSerialization.data(
      withJSONObject: shown,
      options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    try Output(global, output).write(String(decoding: pretty, as: UTF8.self) + "\n")
  }
}

/// `mkt catalog stats`.
struct CatalogStatsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Count products, in total and per merchant.",
    discussion: "Example: mkt catalog stats --json")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  func run() async throws {
    let stats = try await CatalogService(store: global.openStore(.reading)).stats()
    try Output(global, output).result(stats) { stats in
      let width = stats.merchants.map(\.merchantID.count).max() ?? 0
      return
        (["\(stats.products) products, \(stats.merchants.count) merchants"]
        + stats.merchants.map {
          "  " + $0.merchantID.padding(toLength: width + 2, withPad: " ", startingAt: 0)
            + String($0.products)
        }).joined(separator: "\n")
    }
  }
}
