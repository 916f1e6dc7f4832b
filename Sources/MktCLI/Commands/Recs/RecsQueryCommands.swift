import ArgumentParser
import Foundation
import MktCore
import Recommendations
import Store

/// `mkt recs train`.
struct RecsTrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Learn the recommendation model from the stored events and the catalog.",
    discussion: """
      Reads the stored product views, carts and purchases (mkt events ingest) and the \
      catalog's categories and brands, and learns: popularity (events weighted view 1, cart \
      3, purchase 5, halving every 14 days), trends (the last 7 days, halving every 3, times \
      how far they rose above the product's own weekly rate of the 4 weeks before, capped at \
      10×), similar products (co-visits: two products one shopper met within 5 events and 3 \
      days, cosine-normalised and shrunk by count ÷ (count + 5)), complements (products \
      carted or viewed after a product carted or bought in the same session, by confidence \
      shrunk the same way, where the lift is above 1), each category's best sellers by their share of it, each \
      category's re-buy rate and cycle (the median days between two purchases of one product \
      by one shopper more than 2 days apart, where at least 20 such repeats tell it), the \
      demand of the weeks ahead a year before, and each shopper's profile (recent products, \
      categories and brands, purchases). The stored model is replaced in one transaction: a \
      training that fails or is killed leaves the previous one. --since learns from the \
      recent events alone (a shop whose catalogue turned over); on a terminal a progress line \
      shows the events read.

      Run again, it adds the events stored since the model's last event to the model \
      (reading them and the 3 days before, not the whole history), as a cron job after each \
      day's events: popularity, trends, seasons, best sellers and the profiles of returning \
      shoppers come out as a full training would make them; a product's similar and \
      bought-together lists take the new pairs it made (pairs below a list's top 50 are not \
      remembered); re-buy cycles stay as last measured. It trains in full instead when events \
      were added to a day it already learned, with --since, with --full (weekly, say), or \
      the first time.

      Example: mkt recs train
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(
    help: ArgumentHelp(
      "Learn from the events of this day (UTC) on alone, not the whole history.",
      valueName: "YYYY-MM-DD"))
  var since: String?
  @Flag(help: "Train from all the stored events, not by adding the new ones to the model.")
  var full = false

  /// The first second of `--since`.
  var sinceSeconds: Int64? {
    guard let since, since.count == 10 else { return nil }
    return UTCTime.date(since + "T00:00:00Z").map { Int64($0.timeIntervalSince1970) }
  }

  func validate() throws {
    if let since, sinceSeconds == nil {
      throw ValidationError("--since takes a day such as 2025-01-31, not '\(since)'")
    }
  }

  func run() async throws {
    let out = Output(global, output)
    let started = ContinuousClock.now
    let progress = out.progress(label: "recs train", totalBytes: nil, unit: "events")
    let info = try await RecommendationService(store: global.openStore()).train(
      since: sinceSeconds, full: full
    ) { step in
      switch step {
      case .reading(let events): progress?.update(Int64(events), note: "reading")
      case .learning(let events): progress?.update(Int64(events), note: "learning")
      case .saving: progress?.update(0, note: "saving")
      }
    }
    progress?.finish()
    if output.format == .json {
      try out.write(Output.json(info, pretty: true) + "\n")
      return
    }
    let seconds = String(format: "%.1f", (ContinuousClock.now - started) / .seconds(1))
    if let reason = info.fullBecause { out.note("training in full: \(reason)") }
    switch info.added {
    case 0?: out.note("no events stored after \(info.until): the model is as it was")
    case let added?:
      out.note(
        "added \(added) events to the model, now \(info.events) events of \(info.users) users "
          + "and \(info.products) products (until \(info.until)), in \(seconds) s")
    case nil:
      out.note(
        "trained on \(info.events) events of \(info.users) users and \(info.products) "
          + "products (until \(info.until)) in \(seconds) s")
    }
    if !info.consumables.isEmpty && !global.quiet {
      let cycles = info.consumables.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) d)" }
      out.note("re-bought: " + cycles.joined(separator: ", "))
    }
  }
}

/// The options every list of products takes: its length and the stock it needs.
struct RecsListOptions: ParsableArguments {
  @Option(name: [.short, .long], help: "How many products.") var n = 10
  @Option(
    help:
      "The shopper's country: only products shipped there, and the stock of the warehouses serving it (default: all)."
  )
  var country: String?
  @Flag(help: "Keep products whose tracked stock is not available.") var includeOutOfStock = false
  @Option(help: "Only products this merchant sells.") var merchant: String?

  func validate() throws {
    guard (1...1_000).contains(n) else { throw ValidationError("--n is 1 to 1000") }
    if let country, CountryCode(country) == nil {
      throw ValidationError("--country takes a country code such as DE, not '\(country)'")
    }
  }

  func options(perCategory: Int = RecommendationService.perCategory) -> ListOptions {
    ListOptions(
      limit: n, perCategory: perCategory, country: country,
      includeOutOfStock: includeOutOfStock, merchant: merchant)
  }
}

/// What `recs for-user` and `recs similar` print.
enum RecsOutput {
  static func write(
    _ list: RecommendationList, explain: Bool, _ out: Output, _ format: OutputFormat
  ) throws {
    for note in list.notes { out.warn(note) }
    if let variant = list.variant { out.note("weighed as variant \(variant)") }
    if format == .json {
      try out.write(Output.json(list, pretty: true) + "\n")
      return
    }
    var columns: [(String, (Recommendation) -> String)] = [
      ("product", \.product), ("score", { String(format: "%.4f", $0.score) }),
      ("category", \.category),
      ("rating", { row in row.rating.map { String(format: "%.1f (%d)", $0, row.reviews) } ?? "" }),
      ("badges", { $0.badges.map(\.rawValue).joined(separator: " ") }),
    ]
    if explain {
      columns.append(
        (
          "because",
          { row in
            row.strategies.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
              .map { "\($0.key) \(String(format: "%.3f", $0.value))" }.joined(separator: ", ")
          }
        ))
    }
    try out.rows(list.items, columns: columns)
  }
}

/// `mkt recs for-user USER`.
struct RecsForUserCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "for-user",
    abstract: "The products to show a shopper, best first.",
    discussion: """
      Content ranks the best sellers of the categories the shopper cares for (their own \
      share of interest in the category, smoothed, mixed 20/80 with their interest in its top \
      level), lifted by their interest in the brand; trending and seasonal are weighed the \
      same way; re-buy finds a consumable due when its category's cycle ends within the week \
      ahead. The ensemble adds each strategy's score (divided by its best for this shopper, \
      so each is in [0, 1]) times its weight: collaborative 0.30, content 0.25, trending 0.15, \
      cross-sell 0.20, seasonal 0.10 (the design's blend) and re-buy 0.25. Products the \
      shopper bought are left out unless re-buy finds them due; at most --per-category \
      products of one category are shown (diversity). A shopper the model does not know gets \
      trending products, and a note says so. --explain shows what each strategy added.

      Example: mkt recs for-user U000042 --explain
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Argument(help: "The shopper's user_id, as in their events.") var user: String
  @OptionGroup var list: RecsListOptions
  @Option(help: "At most N products of one category (0: no cap).")
  var perCategory = RecommendationService.perCategory
  @Option(help: "One strategy alone: \(Strategy.allCases.map(\.rawValue).joined(separator: ", ")).")
  var strategy: String?
  @Flag(help: "Show what each strategy added to each product's score.") var explain = false
  @Option(
    help:
      "An A/B test (mkt ab create): weigh as the shopper's variant does (mkt recs weights set --experiment)."
  )
  var experiment: String?

  func validate() throws {
    guard (0...1_000).contains(perCategory) else {
      throw ValidationError("--per-category is 0 to 1000")
    }
    if let strategy, Strategy(rawValue: strategy) == nil {
      throw ValidationError(
        "--strategy is one of \(Strategy.allCases.map(\.rawValue).joined(separator: ", ")), "
          + "not '\(strategy)'")
    }
  }

  func run() async throws {
    let list = try await RecommendationService(store: global.openStore(.reading)).forUser(
      user, self.list.options(perCategory: perCategory),
      strategy: strategy.flatMap(Strategy.init), experiment: experiment)
    try RecsOutput.write(list, explain: explain, Output(global, output), output.format)
  }
}

/// `mkt recs similar PRODUCT`.
struct RecsSimilarCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similar",
    abstract: "Products shoppers met together with this one, or bought with it.",
    discussion: """
      Similar products come from co-visits (cosine-normalised); --complements lists what \
      shoppers carted or viewed after carting or buying this product (cross-sell, by \
      confidence shrunk by count ÷ (count + 5), where the lift is above 1).

      Example: mkt recs similar SKU-0000042 --complements
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Argument(help: "The product id, as in events.") var product: String
  @OptionGroup var list: RecsListOptions
  @Flag(help: "Complements (bought together) instead of similar products.") var complements = false

  func run() async throws {
    let list = try await RecommendationService(store: global.openStore(.reading)).similar(
      to: product, self.list.options(), complements: complements)
    try RecsOutput.write(list, explain: false, Output(global, output), output.format)
  }
}
