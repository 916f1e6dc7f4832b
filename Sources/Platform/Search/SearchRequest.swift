public import MktCore

/// What a shopper asks for: words, filters, facets, order and page.
public struct SearchRequest: Sendable, Equatable {
  public var text: String
  public var merchant: String?
  /// A prefix of the category path (`Home & Garden > Kitchen`), case-insensitive.
  public var category: String?
  /// Any of these brands, case-insensitive.
  public var brands: [String] = []
  /// Minor units of `currency`.
  public var priceMin: Int64?
  public var priceMax: Int64?
  /// The currency of the price range: products priced in another currency do not match it.
  public var currency: String?
  /// Only products in stock: with stock synced for the product (`mkt inventory sync`), some
  /// warehouse has it on hand; without, the feed says `in_stock`.
  public var inStock = false
  /// Products rated at least this (0–5): their average from imported reviews (`mkt ratings
  /// import`), else the feed's `product_rating` or `rating` column; unrated products do not
  /// match.
  public var minRating: Double?
  public var language: String?
  /// Products that ship to this country (a `shipping` entry for it, or none and a merchant
  /// there).
  public var country: String?
  public var facets: [Facet] = []
  /// Languages to show titles and snippets in, in order (a country's translation fallback,
  /// `["nl", "fr", "en"]`); empty shows each product's own text.
  public var displayLanguages: [String] = []
  public var sort: Sort = .relevance
  public var page = 1
  public var perPage = 20
  /// Continue after this cursor (from the previous page's result) instead of `page`.
  public var cursor: String?
  public var highlight = false
  /// Ranks with FTS5's bm25 in SQL even when ``RankedSearch`` could answer: the reference the
  /// tests hold the faster path to.
  package var rankInSQL = false

  public init(text: String) {
    self.text = text
  }

  /// The largest page.
  public static let maximumPerPage = 100
  /// The deepest page number (`--cursor` goes on from there): a million hits at 100 a page.
  public static let maximumPage = 10_000

  /// Facets the search can count.
  public enum Facet: String, Sendable, CaseIterable, Encodable {
    case brand, category, price, availability, merchant
  }

  /// Orders of the hits.
  public enum Sort: String, Sendable, CaseIterable {
    case relevance
    case priceAsc = "price-asc"
    case priceDesc = "price-desc"
    case newest
    /// Highest rated first; unrated products last.
    case rating
  }
}

/// What a search found.
public struct SearchResult: Sendable, Encodable {
  public var hits: [SearchHit]
  /// Every product matching the query and filters, not just this page.
  public var total: Int
  public var facets: [String: [FacetCount]]
  public var tookMilliseconds: Double
  /// Query words replaced by the nearest indexed words: `jakcet` → `jacket`.
  public var corrections: [Correction]
  /// The next page, for `--cursor`; `nil` on the last page.
  public var nextCursor: String?
  /// Said once, such as "the search index is missing: scanned the catalog instead".
  public var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case hits, total, facets, corrections, warnings
    case tookMilliseconds = "took_ms"
    case nextCursor = "next_cursor"
  }
}

public struct Correction: Sendable, Encodable, Equatable {
  public var from: String
  public var to: [String]

  public init(from: String, to: [String]) {
    self.from = from
    self.to = to
  }
}

public struct FacetCount: Sendable, Encodable, Equatable {
  public var value: String
  public var count: Int

  public init(value: String, count: Int) {
    self.value = value
    self.count = count
  }
}

/// One product found.
public struct SearchHit: Sendable, Encodable {
  public var rank: Int
  public var merchantID: String
  public var id: String
  public var title: String
  public var brand: String?
  /// `78.99 EUR`.
  public var price: String?
  public var availability: String?
  /// bm25 with the field weights and the boosts; lower is better, as in SQLite.
  public var score: Double
  /// The title with the matched words in `<em>…</em>` (with `highlight`).
  public var titleHighlight: String?
  /// A passage of the description around the matched words (with `highlight`).
  public var snippet: String?
  /// The language of `title` when a display language chain chose it.
  public var language: String?
  /// The product's rating (0–5) and review count, and its badges (`sale`, `low-stock`, …), as
  /// `mkt search` adds them to the page from the ratings and badges of the store.
  public var rating: Double?
  public var reviews: Int?
  public var badges: [String]?

  enum CodingKeys: String, CodingKey {
    case rank, id, title, brand, price, availability, score, snippet, language
    case rating, reviews, badges
    case merchantID = "merchant_id"
    case titleHighlight = "title_highlight"
  }
}

/// A search that cannot run as asked (64).
public enum SearchError: MktError, Equatable {
  case invalidPriceRange(min: Int64, max: Int64)
  case invalidPage(String)
  case invalidCursor
  case unknownCurrency(String)
  case invalidRating(Double)

  public var exitStatus: SysExit { .usage }

  public var description: String {
    switch self {
    case .invalidPriceRange(let min, let max):
      "the price range is empty: minimum \(min) is above maximum \(max) (minor units)"
    case .invalidPage(let reason): reason
    case .invalidCursor: "the cursor is not one this search returned"
    case .unknownCurrency(let code): "unknown currency \(code)"
    case .invalidRating(let value): "--min-rating \(value) is outside 0 to 5"
    }
  }
}
