import Foundation
import GRDB
import Importers
import MktCore
import Store

/// One search, planned against the index and run in one read transaction.
struct SearchPlan {
  let request: SearchRequest
  /// Where the columns, postings and vocabulary are kept between searches.
  let cache: SearchCache
  /// The time of the search, in seconds since 1970: which sales are in force.
  let now: Int64
  /// The FTS5 expression; `nil` when the query has no words (list by sort order).
  var match: String?
  var corrections: [Correction] = []
  var warnings: [String] = []
  /// The index is missing or damaged: scan the catalog with LIKE instead.
  var fallback = false
  let words: [String]
  /// The query as single words per clause (a clause matches when any of its words does), for
  /// ``RankedSearch``; `nil` when a phrase needs FTS5's positions.
  var terms: [[String]]? = []

  struct Found {
    var hits: [SearchHit]
    var total: Int
    var facets: [String: [FacetCount]]
    var corrections: [Correction]
    var nextCursor: String?
    var warnings: [String]
  }

  init(
    request: SearchRequest, query: QueryText, cache: SearchCache, now: Int64, db: Database
  ) throws {
    self.cache = cache
    self.now = now
    self.request = request
    words = query.parts.flatMap(\.words)
    if let language = request.language,
      try Int.fetchOne(
        db, sql: "SELECT 1 FROM product WHERE language = ? LIMIT 1", arguments: [language])
        == nil
    {
      let known = try String.fetchAll(
        db, sql: "SELECT DISTINCT language FROM product WHERE language IS NOT NULL ORDER BY 1")
      warnings.append(
        "no product is in language \(language)"
          + (known.isEmpty ? "" : " (the catalog has: \(known.joined(separator: ", ")))"))
    }
    guard !query.parts.isEmpty else { return }
    guard try Self.indexWorks(db) else {
      fallback = true
      warnings.append(
        "the search index is missing or damaged: scanned the catalog instead "
          + "(run `mkt search reindex`)")
      return
    }
    // Loaded only when a word needs correcting: most queries never pay for it.
    var vocabulary: Vocabulary?
    var clauses: [String] = []
    // Synonyms a query may add in all: a group of thousands would make every search pay for
    // each of them (the load refuses such groups; this holds for what was stored before).
    var synonymBudget = Self.maximumSynonymsPerQuery
    // Which words the index has: a correction must find products together with these.
    let present = try query.parts.map { part in
      try part.isPhrase || Self.exists(part.words.joined(separator: " "), db)
    }
    for (index, part) in query.parts.enumerated() {
      var alternatives = [QueryText.quoted(part.words)]
      let phrase = part.words.joined(separator: " ")
      var words = part.isPhrase ? nil : [phrase]
      if !present[index] {
        if vocabulary == nil { vocabulary = try cache.vocabulary.vocabulary(db) }
        let others = query.parts.indices.filter { $0 != index && present[$0] }
          .map { QueryText.quoted(query.parts[$0].words) }
        // "showing results for pullover" only when pullover, with the rest, finds something.
        let nearest = try (vocabulary?.corrections(of: phrase).map(\.term) ?? []).filter {
          try Self.matches(([QueryText.quoted([$0])] + others).joined(separator: " AND "), db)
        }
        if !nearest.isEmpty {
          corrections.append(Correction(from: phrase, to: nearest))
          alternatives = nearest.map { QueryText.quoted([$0]) }
          words = nearest
        }
      }
      let synonyms = try Self.synonyms(
        of: phrase, language: request.language, limit: synonymBudget, db)
      synonymBudget -= synonyms.count
      for synonym in synonyms {
        alternatives.append(QueryText.quoted(synonym.split(separator: " ").map(String.init)))
        // The index reads `t-shirt` as the phrase `t shirt`.
        let read = QueryText(synonym).parts.flatMap(\.words)
        if read.count == 1 { words?.append(read[0]) } else { words = nil }
      }
      if let words, terms != nil { terms?.append(words) } else { terms = nil }
      clauses.append(
        alternatives.count == 1
          ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")")
    }
    match = clauses.joined(separator: " AND ")
  }

  /// The filters as SQL over `p` (product), with their arguments.
  func filters() -> (String, StatementArguments) {
    var clauses: [String] = []
    var arguments: StatementArguments = []
    if let merchant = request.merchant {
      clauses.append("p.merchant_id = ?")
      arguments += [merchant]
    }
    if let category = request.category {
      let pattern = Self.likeEscaped(category) + "%"
      clauses.append(
        "(p.google_product_category LIKE ? ESCAPE '\\' OR p.product_type LIKE ? ESCAPE '\\')")
      arguments += [pattern, pattern]
    }
    if !request.brands.isEmpty {
      clauses.append(
        "lower(p.brand) IN (" + request.brands.map { _ in "?" }.joined(separator: ", ") + ")")
      for brand in request.brands { arguments += [brand.lowercased()] }
    }
    if request.priceMin != nil || request.priceMax != nil, let currency = request.currency {
      clauses.append("p.currency = ?")
      arguments += [currency]
    }
    let price = "coalesce(p.sale_price_minor, p.price_minor)"
    if let min = request.priceMin {
      clauses.append("\(price) >= ?")
      arguments += [min]
    }
    if let max = request.priceMax {
      clauses.append("\(price) <= ?")
      arguments += [max]
    }
    if request.inStock {
      // Stock synced from the merchant's ERP decides when there is any for the product;
      // otherwise the feed's availability does.
      clauses.append(
        """
        (CASE WHEN EXISTS (SELECT 1 FROM stock s WHERE s.merchant_id = p.merchant_id
                           AND s.sku = p.id)
         THEN EXISTS (SELECT 1 FROM stock s WHERE s.merchant_id = p.merchant_id AND s.sku = p.id
                      AND s.on_hand + coalesce(
                        (SELECT sum(r.quantity) FROM reservation r
                         WHERE r.merchant_id = s.merchant_id AND r.sku = s.sku
                           AND r.warehouse_id = s.warehouse_id), 0) > 0)
         ELSE p.availability = 'in_stock' END)
        """)
    }
    if let rating = request.minRating {
      clauses.append("\(Self.rating) >= ?")
      arguments += [rating]
    }
    if let language = request.language {
      clauses.append("p.language = ?")
      arguments += [language]
    }
    if let country = request.country {
      clauses.append(
        """
        (EXISTS (SELECT 1 FROM json_each(p.attributes, '$.shipping') s
                 WHERE json_extract(s.value, '$.country') = ?)
         OR (json_type(p.attributes, '$.shipping') IS NULL
             AND (SELECT country FROM merchant WHERE id = p.merchant_id) = ?))
        """)
      arguments += [country, country]
    }
    return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
  }

  /// A product's rating: the feed's `product_rating` or `rating` column (custom attributes),
  /// to hundredths (as ``SearchColumns`` keeps it).
  static let rating = "(\(SearchColumns.rating) / 100.0)"

  static func likeEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_")
  }

  mutating func run(_ db: Database) throws -> Found {
    var cursor: (Double, Int64)?
    if let text = request.cursor {
      guard let decoded = Self.decode(text) else { throw SearchError.invalidCursor }
      cursor = decoded
    }
    let outcome = try rankFromColumns(db, after: cursor) ?? rankWithSQL(db, after: cursor)
    let (page, start) = (outcome.page, outcome.start)
    let next =
      start + page.count < outcome.total
      ? page.last.map { Self.encode($0.key, $0.doc) } : nil
    var hits = try Self.details(page.map(\.doc), now: now, db)
    for index in hits.indices {
      hits[index].rank = start + index + 1
      hits[index].score = page[index].key
      if request.sort != .relevance { hits[index].score = 0 }
    }
    if request.highlight, let match, !fallback {
      try Self.highlight(&hits, docs: page.map(\.doc), match: match, db)
    }
    if !request.displayLanguages.isEmpty {
      let texts = try ProductText.localized(
        db, docs: page.map(\.doc), chain: request.displayLanguages)
      for (index, doc) in page.map(\.doc).enumerated() {
        guard let text = texts[doc] else { continue }
        if text.title != hits[index].title {
          // The index holds the feed's language: its highlight would not match the translation.
          hits[index].title = text.title
          hits[index].titleHighlight = nil
          hits[index].snippet = nil
        }
        hits[index].language = text.language
      }
    }
    return Found(
      hits: hits, total: outcome.total, facets: outcome.facets.result(), corrections: corrections,
      nextCursor: next, warnings: warnings)
  }

  /// Ranks with postings and per-product arrays (``RankedSearch``) when the request allows:
  /// single words (no phrase); `nil` otherwise.
  func rankFromColumns(_ db: Database, after cursor: (Double, Int64)?) throws
    -> RankedSearch.Outcome?
  {
    guard !fallback, !request.rankInSQL, let terms, match != nil || words.isEmpty else {
      return nil
    }
    let (file, stamp) = try SearchColumnsCache.identity(db)
    let columns: SearchColumns
    do {
      columns = try cache.columns.columns(db, identity: (file, stamp))
    } catch is TooManyValues {
      return nil
    }
    let key = file.isEmpty ? "" : "\(file)\u{0}\(stamp)"
    let clauses = try terms.map { words in
      try words.map {
        try cache.postings.postings($0, key: key, version: columns.version, db)
      }
    }
    let search = RankedSearch(columns: columns, request: request)
    var hits = search.matches(clauses)
    if request.inStock { hits = try search.inStock(search.filtered(hits), db) }
    return search.page(hits, after: cursor)
  }

  /// Ranks in SQL: bm25 from FTS5 and the filters over the product rows.
  func rankWithSQL(_ db: Database, after cursor: (Double, Int64)?) throws
    -> RankedSearch.Outcome
  {
    let (filter, filterArguments) = filters()
    // Only what the facets and the sort need: every column is read for every hit.
    let wanted = Set(request.facets)
    let price = wanted.contains(.price) || request.sort == .priceAsc || request.sort == .priceDesc
    // Named, as the rows are read by name: a column not needed is NULL under the same name.
    func column(_ sql: String, as name: String, _ needed: Bool) -> String {
      "\(needed ? sql : "NULL") AS \(name)"
    }
    let columns = [
      "p.doc", column("p.brand", as: "brand", wanted.contains(.brand)),
      column("p.google_product_category", as: "google_category", wanted.contains(.category)),
      column("p.product_type", as: "product_type", wanted.contains(.category)),
      column("coalesce(p.sale_price_minor, p.price_minor)", as: "price", price),
      column("p.currency", as: "currency", wanted.contains(.price)),
      column("p.availability", as: "availability", wanted.contains(.availability)),
      column("p.merchant_id", as: "merchant_id", wanted.contains(.merchant)),
      column(Self.rating, as: "rating", request.sort == .rating),
    ].joined(separator: ", ")
    var sql: String
    var arguments: StatementArguments = []
    if let match, !fallback {
      sql = """
        SELECT \(columns), bm25(product_search, \(SearchService.weights))
          * (CASE WHEN p.availability = 'in_stock' THEN \(SearchService.inStockBoost) ELSE 1.0 END)
          * (1 + \(SearchService.ratingBoost) * coalesce(\(Self.rating), 0)) AS score
        FROM product_search JOIN product p ON p.doc = product_search.rowid
        WHERE product_search MATCH ? AND \(filter)
        """
      arguments += [match]
    } else if fallback && !words.isEmpty {
      let perWord = words.map { _ in
        "(p.title LIKE ? ESCAPE '\\' OR p.brand LIKE ? ESCAPE '\\' OR p.description LIKE ? ESCAPE '\\' "
          + "OR p.tags LIKE ? ESCAPE '\\')"
      }
      sql =
        "SELECT \(columns), 0.0 AS score FROM product p "
        + "WHERE \(perWord.joined(separator: " AND ")) AND \(filter)"
      for word in words {
        let pattern = "%" + Self.likeEscaped(word) + "%"
        arguments += [pattern, pattern, pattern, pattern]
      }
    } else {
      sql = "SELECT \(columns), 0.0 AS score FROM product p WHERE \(filter)"
    }
    arguments += filterArguments

    var facets = FacetCounter(wanted: request.facets)
    var keyed: [(key: Double, doc: Int64)] = []
    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
    while let row = try rows.next() {
      let doc: Int64 = row["doc"]
      let price: Int64? = row["price"]
      facets.add(
        brand: row["brand"], googleCategory: row["google_category"],
        productType: row["product_type"], price: price, currency: row["currency"],
        availability: row["availability"], merchant: row["merchant_id"])
      let score: Double = row["score"]
      let key: Double
      switch request.sort {
      case .relevance: key = score
      case .priceAsc: key = price.map(Double.init) ?? .infinity
      case .priceDesc: key = price.map { -Double($0) } ?? .infinity
      case .newest: key = -Double(doc)
      case .rating: key = (row["rating"] as Double?).map { -$0 } ?? .infinity
      }
      keyed.append((key, doc))
    }
    keyed.sort { ($0.key, $0.doc) < ($1.key, $1.doc) }
    var start = (request.page - 1) * request.perPage
    if let cursor {
      start = keyed.firstIndex { ($0.key, $0.doc) > cursor } ?? keyed.count
    }
    let page = Array(keyed.dropFirst(start).prefix(request.perPage))
    return RankedSearch.Outcome(page: page, start: start, total: keyed.count, facets: facets)
  }

  /// The page's products, in page order.
  static func details(_ docs: [Int64], now: Int64, _ db: Database) throws -> [SearchHit] {
    guard !docs.isEmpty else { return [] }
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT doc, merchant_id, id, title, brand, price_minor, sale_price_minor, currency,
          availability,
          json_extract(attributes, '$.sale_price_effective_date') AS sale_price_effective_date
        FROM product WHERE doc IN (\(docs.map { _ in "?" }.joined(separator: ",")))
        """, arguments: StatementArguments(docs))
    var byDoc: [Int64: SearchHit] = [:]
    for row in rows {
      let currency: String? = row["currency"]
      // The price in force now: a sale whose dates ended (or have not begun) shows the regular
      // price. Filters, facets and sorting read the price saved at import.
      let sale: Int64? =
        FeedSyntax.saleInForce(row["sale_price_effective_date"], at: now)
        ? row["sale_price_minor"] : nil
      let minor: Int64? = sale ?? row["price_minor"]
      byDoc[row["doc"]] = SearchHit(
        rank: 0, merchantID: row["merchant_id"], id: row["id"], title: row["title"],
        brand: row["brand"],
        price: zip(minor, currency).map { FeedPrice(minorUnits: $0, currency: $1).text },
        availability: row["availability"], score: 0)
    }
    return docs.compactMap { byDoc[$0] }
  }

  static func highlight(_ hits: inout [SearchHit], docs: [Int64], match: String, _ db: Database)
    throws
  {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT rowid, highlight(product_search, 0, '<em>', '</em>') AS title_highlight,
          snippet(product_search, 3, '<em>', '</em>', '…', 16) AS snippet
        FROM product_search WHERE product_search MATCH ?
          AND rowid IN (\(docs.map { _ in "?" }.joined(separator: ",")))
        """, arguments: [match] + StatementArguments(docs))
    var byDoc: [Int64: (String?, String?)] = [:]
    for row in rows { byDoc[row["rowid"]] = (row["title_highlight"], row["snippet"]) }
    for (index, doc) in docs.enumerated() {
      hits[index].titleHighlight = byDoc[doc]?.0
      hits[index].snippet = byDoc[doc]?.1
    }
  }

  static func encode(_ key: Double, _ doc: Int64) -> String {
    Data("\(key.bitPattern):\(doc)".utf8).base64EncodedString()
  }

  static func decode(_ cursor: String) -> (Double, Int64)? {
    guard let data = Data(base64Encoded: cursor),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let parts = text.split(separator: ":")
    guard parts.count == 2, let bits = UInt64(parts[0]), let doc = Int64(parts[1]) else {
      return nil
    }
    return (Double(bitPattern: bits), doc)
  }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
  guard let a, let b else { return nil }
  return (a, b)
}
