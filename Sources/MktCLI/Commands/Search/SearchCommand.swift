import Analytics
import ArgumentParser
import Foundation
import Importers
import Localization
import MktCore
import Recommendations
import Search
import Store

/// `--sort`'s values, mirroring ``SearchRequest/Sort``.
enum SortArgument: String, ExpressibleByArgument, CaseIterable {
  case relevance
  case priceAsc = "price-asc"
  case priceDesc = "price-desc"
  case newest
  case rating

  var sort: SearchRequest.Sort { SearchRequest.Sort(rawValue: rawValue) ?? .relevance }
}

/// `mkt search QUERY…`: the catalog's product search.
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search the catalog: weighted full text, typo tolerance, filters and facets.",
    discussion: """
      Words match title (weight 3), brand (2), category (1.5), description and tags (1); \
      in-stock products rank a little higher. A word the index lacks is replaced by the \
      nearest indexed words (one edit for 3-5 letters, two beyond; a swap counts as one), \
      and the result says so. "Quoted words" must appear together. Operators typed by users \
      (* - : NEAR AND OR NOT) are plain text. With no words, products are listed by --sort.

      Examples:
        mkt search jakcet --facets brand,category,price
        mkt search "rain coat" --brand Acme --price-max 80 --currency EUR --in-stock --json
      """,
    subcommands: [SearchReindexCommand.self, SearchSynonymsCommand.self])

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Only this merchant's products.") var merchant: String?
  @Option(help: "Products whose category path starts with this (Home & Garden > Kitchen).")
  var category: String?
  @Option(help: "Products of this brand (repeatable).") var brand: [String] = []
  @Option(help: "The lowest price, in --currency (19.99).") var priceMin: String?
  @Option(help: "The highest price, in --currency.") var priceMax: String?
  @Option(help: "The currency of --price-min and --price-max.") var currency = "EUR"
  @Flag(
    help:
      "Only products in stock: synced stock if the product has any, else the feed's availability.")
  var inStock = false
  @Option(
    help:
      "Only products rated at least this, 0 to 5: their average from mkt ratings import, else the feed's product_rating column."
  )
  var minRating: Double?
  @Option(help: "Only products of feeds in this language (de).") var language: String?
  @Option(
    help:
      "Only products that ship to this country (DE); titles in its languages where translated (BE: nl, fr, en)."
  )
  var country: String?
  @Option(
    help:
      "Show titles in this country's languages where translated, without filtering (default: --country)."
  )
  var displayCountry: String?
  @Option(
    help: ArgumentHelp(
      "Count hits per value of these, comma-separated: brand, category, price, availability, merchant.",
      valueName: "list"))
  var facets: String?
  @Option(help: "The order of the hits.") var sort: SortArgument = .relevance
  @Option(help: "The page, from 1.") var page = 1
  @Option(help: "Hits per page, at most 100.") var perPage = 20
  @Option(help: "Continue after this cursor, printed by the previous page (--json).")
  var cursor: String?
  @Flag(help: "Mark the matched words: <em> in JSON, bold on a terminal.") var highlight = false
  @Flag(
    help:
      "Record the search as a shopper event (with its result count) for mkt report search.")
  var log = false
  @Option(
    help: ArgumentHelp(
      "The shopper: the top 100 hits are re-ranked by their affinity (after mkt recs train), "
        + "and with --log, the id logged (default: shell).", valueName: "user_id"))
  var user: String?
  @Option(help: "With --log: the shopper's session (default: one per user and day).")
  var session: String?
  @Argument(help: "The words to search for.") var query: [String] = []

  func run() async throws {
    var request = try makeRequest()
    let out = Output(global, output)
    let store = try global.openStore(.reading)
    if let display = displayCountry ?? country {
      request.displayLanguages = try await LocaleService(store: store).country(display)
        .translationFallback
    }
    let service = SearchService(store: store)
    if !global.quiet, try await !service.isPrepared(), try await service.canSaveNow() {
      out.note("saving search's per-product columns for the changed catalog first (once)")
    }
    var result: SearchResult
    if let user, request.sort == .relevance, request.cursor == nil,
      (request.page - 1) * request.perPage < Self.personalised
    {
      result = try await personalised(request, for: user, service: service, store: store, out)
    } else {
      result = try await service.search(request)
    }
    let marks = try await RecommendationService(store: store).marks(
      of: result.hits.map(\.id), country: country)
    for index in result.hits.indices {
      guard let mark = marks[result.hits[index].id] else { continue }
      result.hits[index].rating = mark.rating
      result.hits[index].reviews = mark.rating == nil ? nil : mark.reviews
      result.hits[index].badges = mark.badges.isEmpty ? nil : mark.badges.map(\.rawValue)
    }
    for warning in result.warnings { out.warn(warning) }
    try out.result(result) { result in render(result, out: out) }
    if log { try await record(result.total, store: store, out: out) }
  }

  /// Stores the search as a `search` event: the query, its result count, the country.
  func record(_ results: Int, store: Store, out: Output) async throws {
    var event: [String: String] = [
      "ts": UTCTime.iso(Date()), "type": "search", "user_id": user ?? "shell",
      "query": query.joined(separator: " "), "results": String(results),
      // Each search is an event of its own, even the same words twice in a second.
      "event_id": "search-" + UUID().uuidString,
    ]
    if let session { event["session_id"] = session }
    if let country { event["country"] = country.uppercased() }
    if let merchant { event["merchant_id"] = merchant }
    let line = try String(
      decoding: JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]),
      as: UTF8.self)
    var options = AnalyticsService.IngestOptions()
    options.bytes = Array((line + "\n").utf8)
    options.maxErrors = 1  // a search that cannot be logged still answered: warn, do not fail
    let summary = try await AnalyticsService(store: global.openStore()).ingest(
      path: "mkt search --log", options: options)
    if summary.rejected > 0, let issue = summary.issues.first { out.warn("not logged: \(issue)") }
  }

  /// How many of the best hits `--user` re-ranks.
  static let personalised = PersonalisedRanking.depth

  /// The page of `request` among the top hits re-ranked for `user`
  /// (``PersonalisedRanking/order(scores:affinity:)``).
  func personalised(
    _ request: SearchRequest, for user: String, service: SearchService, store: Store,
    _ out: Output
  ) async throws -> SearchResult {
    var top = request
    top.page = 1
    top.perPage = Self.personalised
    var result = try await service.search(top)
    let affinity = try? await RecommendationService(store: store).affinity(
      of: user, for: result.hits.map(\.id))
    guard let affinity else {
      out.note("user \(user) is not in the recommendation model: hits are not personalised")
      return try await service.search(request)
    }
    let ranked = PersonalisedRanking.order(
      scores: result.hits.map(\.score), affinity: result.hits.map { affinity[$0.id] ?? 0 }
    ).map { result.hits[$0] }
    let start = (request.page - 1) * request.perPage
    result.hits = ranked.dropFirst(start).prefix(request.perPage).enumerated().map {
      var hit = $1
      hit.rank = start + $0 + 1
      return hit
    }
    // Past the re-ranked top, pages follow the plain order again: no cursor mixes the two.
    result.nextCursor = nil
    return result
  }

  func makeRequest() throws -> SearchRequest {
    var request = SearchRequest(text: query.joined(separator: " "))
    request.merchant = merchant
    request.category = category
    request.brands = brand
    let code = currency.uppercased()
    func minor(_ text: String?, _ name: String) throws -> Int64? {
      guard let text else { return nil }
      switch FeedPrice.parse(text + " " + code) {
      case .success(let price): return price.minorUnits
      case .failure(let problem):
        throw ValidationError("--\(name) \(text): \(problem.message)")
      }
    }
    request.priceMin = try minor(priceMin, "price-min")
    request.priceMax = try minor(priceMax, "price-max")
    request.currency = code
    request.inStock = inStock
    request.minRating = minRating
    request.language = language?.lowercased()
    request.country = country?.uppercased()
    if let facets {
      request.facets = try facets.split(separator: ",").map {
        let name = $0.trimmingCharacters(in: .whitespaces).lowercased()
        guard let facet = SearchRequest.Facet(rawValue: name) else {
          throw ValidationError(
            "unknown facet \(name) (valid: "
              + SearchRequest.Facet.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return facet
      }
    }
    request.sort = sort.sort
    request.page = page
    request.perPage = perPage
    request.cursor = cursor
    request.highlight = highlight
    return request
  }

  func render(_ result: SearchResult, out: Output) -> String {
    var text = ""
    for correction in result.corrections {
      text +=
        "showing results for \(correction.to.joined(separator: " or ")) "
        + "(no product has \"\(correction.from)\")\n"
    }
    // Ratings and badges get their columns when a hit on the page has one.
    let marked = result.hits.contains { $0.rating != nil || $0.badges != nil }
    let rows = result.hits.map { hit in
      [
        String(hit.rank), hit.id, title(hit, out: out), hit.brand ?? "", hit.price ?? "",
        hit.merchantID, hit.availability ?? "",
      ]
        + (marked
          ? [
            hit.rating.map { String(format: "%.1f (%d)", $0, hit.reviews ?? 0) } ?? "",
            (hit.badges ?? []).joined(separator: " "),
          ] : [])
    }
    text += TextTable.render(
      header: ["rank", "id", "title", "brand", "price", "merchant", "availability"]
        + (marked ? ["rating", "badges"] : []), rows: rows,
      format: .text, aligned: out.terminal.stdoutIsTTY)
    // No hits, nothing to count.
    for (name, counts) in result.facets.sorted(by: { $0.key < $1.key }) where result.total > 0 {
      text +=
        "\(name): "
        + (counts.isEmpty
          ? "none of the hits has one"
          : counts.map { "\($0.value) (\($0.count))" }.joined(separator: ", ")) + "\n"
    }
    text +=
      "\(result.total) product\(result.total == 1 ? "" : "s"), \(result.hits.count) shown, "
      + String(format: "%.1f ms", result.tookMilliseconds) + "\n"
    return text
  }

  func title(_ hit: SearchHit, out: Output) -> String {
    guard let marked = hit.titleHighlight else { return hit.title }
    var text = ""
    var rest = Substring(marked)
    while let open = rest.range(of: "<em>") {
      text += rest[..<open.lowerBound]
      rest = rest[open.upperBound...]
      let close = rest.range(of: "</em>")
      text += out.paint(String(rest[..<(close?.lowerBound ?? rest.endIndex)]), .bold)
      rest = close.map { rest[$0.upperBound...] } ?? ""
    }
    return text + rest
  }
}

/// `mkt search reindex`.
struct SearchReindexCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reindex",
    abstract: "Rebuild the search index and its vocabulary from the catalog.",
    discussion: "Example: mkt search reindex")

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let started = ContinuousClock.now
    let count = try await SearchService(store: global.openStore()).reindex()
    if !global.quiet {
      try Output().write(
        "indexed \(count) products in \(Int((ContinuousClock.now - started) / .milliseconds(1))) ms\n"
      )
    }
  }
}

/// `mkt search synonyms`.
struct SearchSynonymsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synonyms",
    abstract: "Manage the synonym groups search expands queries with.",
    subcommands: [SearchSynonymsLoadCommand.self])
}

/// `mkt search synonyms load FILE`.
struct SearchSynonymsLoadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load",
    abstract: "Load a language's synonym groups, replacing the ones it had.",
    discussion: """
      One group per line, words or phrases separated by commas; # starts a comment.

      Example: mkt search synonyms load synonyms-de.txt --language de
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "The language the groups are for (de).") var language: String
  @Argument(help: "The synonyms file.", completion: .file()) var file: String

  func run() async throws {
    let groups = try await SearchService(store: global.openStore()).loadSynonyms(
      path: file, language: language.lowercased())
    if !global.quiet { try Output().write("loaded \(groups) synonym groups for \(language)\n") }
  }
}

/// `mkt suggest PREFIX`: autocomplete.
struct SuggestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "suggest",
    abstract: "Complete a search as typed, most frequent words first, forgiving a typo.",
    discussion: "Example: mkt suggest \"rain ja\" --json")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "At most this many completions.") var limit = 10
  @Argument(help: "What was typed so far.") var prefix: [String] = []

  func run() async throws {
    let suggestions = try await SearchService(store: global.openStore(.reading)).suggest(
      prefix.joined(separator: " "), limit: max(1, limit))
    try Output(global, output).rows(
      suggestions, columns: [("text", \.text), ("documents", { String($0.documents) })])
  }
}

/// Hidden routes for `mkt search reindex|synonyms`: `search`'s positional words would shadow
/// its subcommands (see ``MktCommand/routes``).
struct SearchReindexRoute: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search-reindex", shouldDisplay: false)
  @OptionGroup var global: GlobalOptions
  func run() async throws {
    var command = SearchReindexCommand()
    command.global = global
    try await command.run()
  }
}

struct SearchSynonymsRoute: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search-synonyms", shouldDisplay: false,
    subcommands: [SearchSynonymsLoadCommand.self])
}
