import ArgumentParser
import Foundation
import Localization
import MktCore
import Pricing
import Store

/// What to quote, shared by `quote` and `explain`.
struct QuoteOptions: ParsableArguments {
  @Option(help: "A product id (repeatable, with --qty per product or one for all).")
  var product: [String] = []
  @Option(help: "The product's merchant, when several merchants use the id.") var merchant: String?
  @Option(help: "Quantity (default 1).") var qty: [Int] = []
  @Option(
    help: ArgumentHelp(
      "A cart file: JSON {\"country\", \"items\": [{\"product\", \"merchant\", \"quantity\"}], "
        + "\"codes\", \"customer\", \"customer_group\", \"shipping\", \"currency\", \"at\"}.",
      valueName: "file"))
  var cart: String?
  @Option(help: "The shipping country (ISO code).") var country: String?
  @Option(help: "Quote in this currency (default: the country's).") var currency: String?
  @Option(help: "A promo code (repeatable).") var code: [String] = []
  @Option(help: "The customer (for per-customer code limits).") var customer: String?
  @Option(help: "The customer group, such as vip.") var group: String?
  @Option(help: "Shipping cost, gross, in the quote's currency.") var shipping: String?
  @Option(help: "When: ISO 8601 with zone, 2026-11-27T18:30:00+01:00 (default: now).") var at:
    String?
  @Option(help: "Format amounts for this locale (default: the country's).") var locale: String?

  typealias Cart = QuoteCart

  /// The request these options describe.
  func request() async throws -> PricingService.Request {
    var items: [PricingService.Item] = []
    var cartFile: Cart?
    if let cart {
      let bytes = try await InputFile.bytes(cart, limit: InputFile.smallFileLimit)
      do {
        cartFile = try JSONDecoder().decode(Cart.self, from: Data(bytes))
      } catch let error as DecodingError {
        throw PricingError.invalidRequest(
          "\(cart): not a cart: \(JSONProblem.describe(error, in: bytes))")
      }
      items = cartFile?.items ?? []
    }
    for (index, id) in product.enumerated() {
      let quantity = index < qty.count ? qty[index] : (qty.count == 1 ? qty[0] : 1)
      items.append(PricingService.Item(product: id, merchant: merchant, quantity: quantity))
    }
    guard !items.isEmpty else { throw ValidationError("give --product ID or --cart FILE") }
    if let locale { _ = try LocaleFormat(locale) }
    guard let country = country ?? cartFile?.country else {
      throw ValidationError("give --country (the shipping country)")
    }
    let when = at ?? cartFile?.at
    var instant = Date()
    if let when {
      guard let parsed = Self.instant(when) else {
        throw ValidationError(
          "--at '\(when)' is not ISO 8601 with a zone, such as 2026-11-27T18:30:00+01:00")
      }
      instant = parsed
    }
    var request = PricingService.Request(
      items: items, country: country, currency: currency ?? cartFile?.currency, at: instant)
    request.codes = code + (cartFile?.codes ?? [])
    request.customer = customer ?? cartFile?.customer
    request.customerGroup = group ?? cartFile?.customerGroup
    request.shipping = shipping ?? cartFile?.shipping
    return request
  }

  static func instant(_ text: String) -> Date? { QuoteCart.instant(text) }

  /// Prints `quote` for people, amounts in the locale's format; with `explain`, the rule trace.
  func render(_ quote: Quote, explain: Bool) -> String {
    let country = CountryTable.shipped(quote.country)
    // --locale was checked by request(); the country's default locale is always shipped.
    guard
      let format = (try? LocaleFormat(locale ?? country.defaultLocale))
        ?? (try? LocaleFormat(country.defaultLocale))
    else { return "" }
    func money(_ value: Money) -> String { format.format(value) }
    var lines = ["quote for \(quote.country) in \(quote.currency) at \(quote.at) (\(format.id))"]
    let table = TextTable.render(
      header: ["product", "merchant", "qty", "list", "unit", "VAT", "total"],
      rows: quote.lines.map {
        [
          $0.productID, $0.merchantID,
          $0.paidQuantity == $0.quantity
            ? "\($0.quantity)" : "\($0.quantity) (\($0.paidQuantity) paid)",
          money($0.listUnit), money($0.unit), "\($0.vatRate)%", money($0.total),
        ]
      }, format: .text, aligned: true)
    lines.append(String(table.dropLast()))
    // The lines add up as printed: price − discount = subtotal (VAT included in it),
    // + shipping = total.
    let items = quote.lines.reduce(0) { $0 + $1.quantity }
    var summary: [[String]] = []
    if quote.discount.minorUnits != 0, let price = try? quote.subtotal + quote.discount {
      summary.append(["price", money(price), "\(items) item\(items == 1 ? "" : "s") at list price"])
      summary.append([
        "discount", money(Money(minorUnits: -quote.discount.minorUnits, currency: quote.currency)),
        "",
      ])
    }
    summary.append(["subtotal", money(quote.subtotal), ""])
    let rates = Set(quote.lines.map(\.vatRate))
    summary.append([
      rates.count == 1 ? "VAT \(rates.first.map { "\($0)%" } ?? "")" : "VAT", money(quote.vat),
      "included (net \(money(quote.net)))",
    ])
    if quote.shipping.minorUnits != 0
      || quote.applied.contains(where: { $0.kind == "free_shipping" })
    {
      summary.append(["shipping", money(quote.shipping), ""])
    }
    summary.append(["total", money(quote.total), ""])
    let labelWidth = summary.map(\.[0].count).max() ?? 0
    let amountWidth = summary.map(\.[1].count).max() ?? 0
    for row in summary {
      let label = row[0].padding(toLength: labelWidth, withPad: " ", startingAt: 0)
      let amount = String(repeating: " ", count: amountWidth - row[1].count) + row[1]
      lines.append("\(label)  \(amount)" + (row[2].isEmpty ? "" : "  \(row[2])"))
    }
    if quote.payable != quote.total {
      lines.append("in cash   \(format.format(quote.payable, cash: true))")
    }
    for message in quote.messages {
      lines.append(message.hasPrefix("warning: ") ? message : "note: \(message)")
    }
    if explain {
      lines.append("applied:")
      if quote.applied.isEmpty { lines.append("  (none)") }
      for applied in quote.applied {
        lines.append(
          "  \(applied.rule) (\(applied.kind))\(applied.productID.map { " on \($0)" } ?? ""): \(applied.effect)"
        )
      }
      lines.append("skipped:")
      if quote.skipped.isEmpty { lines.append("  (none)") }
      for skipped in quote.skipped {
        lines.append(
          "  \(skipped.rule)\(skipped.productID.map { " on \($0)" } ?? ""): \(skipped.reason)")
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// `mkt pricing quote`.
struct PricingQuoteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "quote",
    abstract: "Price products or a cart for a country, time, customer and codes.",
    discussion: """
      Prices are consumer gross prices in the country's currency (ECB rate of the day when the \
      merchant prices in another), VAT of the shipping country, amounts formatted for its \
      locale. An expired or used-up code is a note in the quote, not an error.

      Examples:
        mkt pricing quote --product SKU-1 --country FR --qty 3 --code SUMMER10
        mkt pricing quote --cart cart.json --json
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Quote") var options: QuoteOptions

  func run() async throws {
    let quote = try await PricingService(store: global.openStore(.reading)).quote(options.request())
    try Output(global, output).result(quote) { options.render($0, explain: false) }
  }
}

/// `mkt pricing explain`.
struct PricingExplainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "A quote with its rule trace: every rule applied and skipped, and why.",
    discussion:
      "Example: mkt pricing explain --product SKU-1 --country DE --at 2026-11-27T19:00:00+01:00")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Quote") var options: QuoteOptions

  func run() async throws {
    let quote = try await PricingService(store: global.openStore(.reading)).quote(options.request())
    try Output(global, output).result(quote) { options.render($0, explain: true) }
  }
}

/// `mkt pricing simulate FILE`.
struct PricingSimulateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Show how a rules file would change prices, before loading it.",
    discussion: """
      Quotes a sample of catalog products, one unit each, with the stored rules and with the \
      file's rules added (same ids replaced), and compares.

      Example: mkt pricing simulate examples/pricing/rules.yaml --sample 1000 --country DE
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Products to sample, spread evenly over the catalog.") var sample = 1000
  @Option(help: "The shipping country.") var country = "DE"
  @Option(help: "When (ISO 8601 with zone; default now).") var at: String?
  @Argument(help: "The rules file.", completion: .file()) var file: String

  func run() async throws {
    var instant = Date()
    if let at {
      guard let parsed = QuoteOptions.instant(at) else {
        throw ValidationError("--at '\(at)' is not ISO 8601 with a zone")
      }
      instant = parsed
    }
    let text = try await InputFile.text(file, limit: InputFile.smallFileLimit)
    let result = try await PricingService(store: global.openStore(.reading)).simulate(
      text, file: file, sample: sample, country: country, at: instant)
    try Output(global, output).result(result) { result in
      var lines = [
        "\(result.sampled) products sampled in \(result.country) (\(result.currency)): "
          + "\(result.changed) would change (\(result.lower) lower, \(result.higher) higher), "
          + "average \(result.averagePercent)%"
      ]
      for (rule, count) in result.applications.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(rule) applies to \(count)")
      }
      if !result.largest.isEmpty { lines.append("largest changes:") }
      for change in result.largest {
        lines.append(
          "  \(change.merchantID)/\(change.productID): \(change.before) → \(change.after) "
            + "(\(change.percent)%)")
      }
      return lines.joined(separator: "\n")
    }
  }
}
