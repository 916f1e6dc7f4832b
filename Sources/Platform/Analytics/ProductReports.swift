import Foundation
import GRDB
import MktCore
import Store

/// One product's views, carts, purchases and revenue over a report's days.
public struct ProductRow: Sendable, Equatable, Encodable {
  public var product: String
  public var views: Int64
  public var carts: Int64
  public var purchases: Int64
  public var revenue: Double
  /// Purchases ÷ views.
  public var conversionRate: Double

  enum CodingKeys: String, CodingKey {
    case product, views, carts, purchases, revenue
    case conversionRate = "conversion_rate"
  }
}

/// One search term's searches, searches without a result, and click-through.
public struct SearchTermRow: Sendable, Equatable, Encodable {
  public var query: String
  public var searches: Int64
  public var zeroResults: Int64
  public var clicks: Int64
  /// Clicks ÷ searches.
  public var clickThrough: Double

  enum CodingKeys: String, CodingKey {
    case query, searches, clicks
    case zeroResults = "zero_results"
    case clickThrough = "click_through"
  }
}

/// What `report products` ranks by.
public enum ProductRanking: String, Sendable, CaseIterable {
  case revenue, views, purchases, conversion
}

/// What `products` sums per product id when it converts amounts.
private struct ProductSums {
  /// Views, carts and purchases (revenue and conversion rate still 0).
  var rows: [Int64: ProductRow] = [:]
  /// Revenue in minor units, by currency (the target's once converted).
  var money: [Int64: MoneyTotals] = [:]
  /// The currencies the revenue was given in.
  var currencies = Set<String>()
}

extension AnalyticsService {
  /// The top `limit` products by `ranking`; with `worst`, the `limit` lowest converting among
  /// the 10 × `limit` most viewed.
  ///
  /// Product rollups are kept per day and product, not per segment: `--merchant` keeps the
  /// merchant's catalog products, `--country` and `--channel` are refused.
  ///
  /// - Throws: ``AnalyticsError`` for bad days or a segment filter.
  public func products(
    _ filter: ReportFilter, by ranking: ProductRanking = .revenue, limit: Int = 10,
    worst: Bool = false
  ) async throws -> Report<ProductRow> {
    guard filter.country == nil, filter.channel == nil else {
      throw AnalyticsError.unsupportedFilter(report: "products", filter: "--country and --channel")
    }
    if filter.currency == nil {
      return try await store.read { db in
        try Self.productsAsGiven(db, filter, by: ranking, limit: limit, worst: worst)
      }
    }
    return try await store.read { db in
      try Self.productsConverted(db, filter, by: ranking, limit: limit, worst: worst)
    }
  }

  /// The product report with amounts converted at each day's rate (`--currency`): summed per
  /// product in memory, then ranked and cut.
  static func productsConverted(
    _ db: Database, _ filter: ReportFilter, by ranking: ProductRanking, limit: Int, worst: Bool
  ) throws -> Report<ProductRow> {
    guard let days = try filter.days(db) else { return Report(rows: [], notes: []) }
    let sums = try Self.productSums(db, filter, days: days)
    let all = sums.rows.map { id, row in
      var row = row
      row.revenue = sums.money[id]?.total ?? 0
      row.conversionRate = Self.rate(row.purchases, row.views)
      return row
    }
    let ranked = Self.rankedProducts(all, by: ranking, limit: limit, worst: worst)
    var notes: [String] = []
    if filter.currency == nil, sums.currencies.count > 1 {
      notes.append(
        "revenue adds amounts in \(sums.currencies.count) currencies as given; --currency EUR "
          + "converts them")
    }
    return Report(rows: Array(ranked.prefix(limit)), notes: notes)
  }

  /// Views, carts and purchases per product over `days` (of the filter's merchant), and its
  /// revenue converted at each day's rate, with the currencies it was given in.
  private static func productSums(
    _ db: Database, _ filter: ReportFilter, days: ClosedRange<Int64>
  ) throws -> ProductSums {
    var merchantClause = ""
    var arguments: StatementArguments = [days.lowerBound, days.upperBound]
    if let merchant = filter.merchant {
      merchantClause = " AND n.name IN (SELECT id FROM product WHERE merchant_id = ?)"
      arguments += [merchant]
    }
    var sums = ProductSums()
    var rates = filter.currency.map(DayRates.init(target:))
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT p.product, n.name, p.day, coalesce(c.name, '') AS currency, sum(p.views) AS views,
          sum(p.carts) AS carts, sum(p.purchases) AS purchases, sum(p.revenue_minor) AS revenue
        FROM analytics_product_day p JOIN analytics_name n ON n.id = p.product
          LEFT JOIN analytics_name c ON c.id = p.currency
        WHERE p.day BETWEEN ? AND ?\(merchantClause)
        GROUP BY p.product, p.day, p.currency
        """, arguments: arguments)
    while let row = try cursor.next() {
      let id: Int64 = row["product"]
      var entry =
        sums.rows[id]
        ?? ProductRow(
          product: row["name"], views: 0, carts: 0, purchases: 0, revenue: 0, conversionRate: 0)
      entry.views += row["views"]
      entry.carts += row["carts"]
      entry.purchases += row["purchases"]
      sums.rows[id] = entry
      let currency: String = row["currency"]
      var amount: Int64 = row["revenue"]
      guard amount != 0 else { continue }
      sums.currencies.insert(currency)
      if var converter = rates {
        amount = try converter.convert(amount, currency, day: row["day"], db)
        rates = converter
        sums.money[id, default: MoneyTotals()].add(amount, converter.target.rawValue)
      } else {
        sums.money[id, default: MoneyTotals()].add(amount, currency)
      }
    }
    return sums
  }

  /// `products` in report order: by `ranking`, or with `worst`, the 10 × `limit` most viewed by
  /// conversion, lowest first.
  static func rankedProducts(
    _ products: [ProductRow], by ranking: ProductRanking, limit: Int, worst: Bool
  ) -> [ProductRow] {
    var all = products
    func key(_ row: ProductRow) -> Double {
      switch ranking {
      case .revenue: row.revenue
      case .views: Double(row.views)
      case .purchases: Double(row.purchases)
      case .conversion: row.conversionRate
      }
    }
    if worst {
      all = Array(
        all.sorted { ($0.views, $1.product) > ($1.views, $0.product) }.prefix(limit * 10))
      all.sort {
        ($0.conversionRate, $1.views, $0.product) < ($1.conversionRate, $0.views, $1.product)
      }
    } else {
      all.sort { (key($0), $1.product) > (key($1), $0.product) }
    }
    return all
  }

  /// The product report with amounts as given, ranked and cut in SQL: only the rows shown are
  /// named (every one of the currencies has 2 decimals, so minor units add up as amounts do).
  static func productsAsGiven(
    _ db: Database, _ filter: ReportFilter, by ranking: ProductRanking, limit: Int, worst: Bool
  ) throws -> Report<ProductRow> {
    guard let days = try filter.days(db) else { return Report(rows: [], notes: []) }
    // Without a merchant, summing in memory beats SQLite's sort for GROUP BY several times.
    let rows =
      try filter.merchant.map {
        try Self.merchantProducts(
          db, days: days, merchant: $0, by: ranking, limit: limit, worst: worst)
      } ?? Self.topProducts(db, days: days, by: ranking, limit: limit, worst: worst)
    let names = try Names.texts(rows.map(\.product), db)
    let currencies =
      try Int.fetchOne(
        db, sql: "SELECT count(DISTINCT currency) FROM analytics_revenue WHERE day BETWEEN ? AND ?",
        arguments: [days.lowerBound, days.upperBound]) ?? 0
    return Report(
      rows: rows.map { row in
        ProductRow(
          product: names[row.product] ?? "", views: row.views, carts: row.carts,
          purchases: row.purchases, revenue: Double(row.revenue) / 100,
          conversionRate: Self.rate(row.purchases, row.views))
      },
      notes: currencies > 1
        ? [
          "revenue adds amounts in \(currencies) currencies as given; --currency EUR converts them"
        ]
        : [])
  }

  /// The top products of one merchant's catalog, ranked and cut in SQL.
  static func merchantProducts(
    _ db: Database, days: ClosedRange<Int64>, merchant: String, by ranking: ProductRanking,
    limit: Int, worst: Bool
  ) throws -> [ProductTotals] {
    let conversion = "CAST(sum(p.purchases) AS REAL) / max(sum(p.views), 1)"
    let order =
      switch ranking {
      case .revenue: "sum(p.revenue_minor) DESC"
      case .views: "sum(p.views) DESC"
      case .purchases: "sum(p.purchases) DESC"
      case .conversion: "\(conversion) DESC"
      }
    let grouped = """
      SELECT p.product AS product, sum(p.views) AS views, sum(p.carts) AS carts,
        sum(p.purchases) AS purchases, sum(p.revenue_minor) AS revenue,
        \(conversion) AS rate
      FROM analytics_product_day p WHERE p.day BETWEEN ? AND ?
        AND p.product IN (SELECT n.id FROM analytics_name n WHERE n.kind = \(NameKind.product.rawValue)
          AND n.name IN (SELECT id FROM product WHERE merchant_id = ?))
      GROUP BY p.product
      """
    let sql =
      worst
      ? "SELECT * FROM (\(grouped) ORDER BY views DESC LIMIT \(limit * 10)) "
        + "ORDER BY rate, views DESC LIMIT \(limit)"
      : "\(grouped) ORDER BY \(order), p.product LIMIT \(limit)"
    return try Row.fetchAll(
      db, sql: sql, arguments: [days.lowerBound, days.upperBound, merchant]
    ).map { row in
      ProductTotals(
        product: row["product"], views: row["views"], carts: row["carts"],
        purchases: row["purchases"], revenue: row["revenue"])
    }
  }

  /// One product's sums over a report's days.
  struct ProductTotals {
    var product: Int64
    var views: Int64
    var carts: Int64
    var purchases: Int64
    var revenue: Int64

    var rate: Double { Double(purchases) / Double(max(views, 1)) }
  }

  /// The top products of the days: the days' packs merged, the best kept as they pass.
  static func topProducts(
    _ db: Database, days: ClosedRange<Int64>, by ranking: ProductRanking, limit: Int, worst: Bool
  ) throws -> [ProductTotals] {
    // Ranked by key descending, then product id ascending (TopK keeps the smallest pairs).
    var best = TopK(capacity: worst ? limit * 10 : limit)
    var kept: [Int64: ProductTotals] = [:]
    ProductPack.merge(try ProductPack.load(days, db)) { entry in
      let key =
        switch worst ? .views : ranking {
        case .revenue: Double(entry.revenue)
        case .views: Double(entry.views)
        case .purchases: Double(entry.purchases)
        case .conversion: entry.rate
        }
      let full = best.items.count == best.capacity
      if full, let last = best.items.last, (-key, entry.product) >= (last.key, last.doc) {
        return
      }
      let evicted = full ? best.items.last?.doc : nil
      best.offer(-key, entry.product)
      kept[entry.product] = entry
      if let evicted { kept[evicted] = nil }
    }
    let ranked = best.items.compactMap { kept[$0.doc] }
    guard worst else { return ranked }
    return Array(ranked.sorted { ($0.rate, $1.views) < ($1.rate, $0.views) }.prefix(limit))
  }

  /// Search terms over the filtered days: the most searched, or (`zeroResults`) those searched
  /// most without a result.
  ///
  /// - Throws: ``AnalyticsError`` for bad days or a merchant or channel filter.
  public func searchTerms(_ filter: ReportFilter, limit: Int = 20, zeroResults: Bool = false)
    async throws -> Report<SearchTermRow>
  {
    guard filter.merchant == nil, filter.channel == nil else {
      throw AnalyticsError.unsupportedFilter(report: "search", filter: "--merchant and --channel")
    }
    return try await store.read { db in
      guard let days = try filter.days(db) else { return Report(rows: [], notes: []) }
      var arguments: StatementArguments = [days.lowerBound, days.upperBound]
      var countryClause = ""
      if let country = filter.country {
        countryClause = " AND country = ?"
        arguments += [Names.id(.country, country.uppercased())]
      }
      // Summed in memory: SQLite would sort every (day, query, country) row to group them.
      var totals = Int64Map<SearchTotals>(capacity: 1 << 12)
      try RawRows.each(
        db,
        sql: """
          SELECT query, searches, zero_results, clicks FROM analytics_query_day
          WHERE day BETWEEN ? AND ?\(countryClause)
          """, arguments: arguments
      ) { row in
        totals.modify(row.integer(0), default: SearchTotals()) {
          $0.searches += row.integer(1)
          $0.zeroResults += row.integer(2)
          $0.clicks += row.integer(3)
        }
      }
      var ranked: [(query: Int64, totals: SearchTotals)] = []
      totals.each { query, entry in
        if !zeroResults || entry.zeroResults > 0 { ranked.append((query, entry)) }
      }
      func key(_ entry: SearchTotals) -> (Int64, Int64) {
        zeroResults ? (entry.zeroResults, entry.searches) : (entry.searches, 0)
      }
      ranked.sort { key($0.totals) > key($1.totals) }
      // Ties are ordered by the query's text: every query tied with the last one shown is named.
      if ranked.count > limit, limit > 0 {
        let boundary = key(ranked[limit - 1].totals)
        ranked = Array(ranked.prefix { key($0.totals) >= boundary })
      } else if limit <= 0 {
        ranked = []
      }
      let names = try Names.texts(ranked.map(\.query), db)
      let rows = ranked.map { entry in
        SearchTermRow(
          query: names[entry.query] ?? "", searches: entry.totals.searches,
          zeroResults: entry.totals.zeroResults, clicks: entry.totals.clicks,
          clickThrough: Self.rate(entry.totals.clicks, entry.totals.searches))
      }.sorted { lhs, rhs in
        let left = zeroResults ? (lhs.zeroResults, lhs.searches) : (lhs.searches, 0)
        let right = zeroResults ? (rhs.zeroResults, rhs.searches) : (rhs.searches, 0)
        return left != right ? left > right : lhs.query < rhs.query
      }
      return Report(rows: Array(rows.prefix(limit)), notes: [])
    }
  }

  /// One search term's sums over a report's days.
  struct SearchTotals {
    var searches: Int64 = 0
    var zeroResults: Int64 = 0
    var clicks: Int64 = 0
  }
}
