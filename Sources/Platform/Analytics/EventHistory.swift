import Foundation
package import GRDB
import Store

/// One stored product event as other modules read it (recommendations): who, when, which
/// product, and how strong a signal it is.
package struct ShopperEvent: Sendable, Equatable {
  /// What the shopper did with the product.
  package enum Kind: UInt8, Sendable {
    case view = 1
    case cart = 2
    case purchase = 3
  }

  /// Seconds since 1970.
  package var ts: Int64
  package var kind: Kind
  /// The user, as ``EventHistory/userKey(_:)`` hashes their id.
  package var user: Int64
  package var session: Int64
  /// The product, as ``EventHistory/productKey(_:)`` names it.
  package var product: Int64
  package var country: Int64

  package init(
    ts: Int64, kind: Kind, user: Int64, session: Int64, product: Int64, country: Int64 = 0
  ) {
    self.ts = ts
    self.kind = kind
    self.user = user
    self.session = session
    self.product = product
    self.country = country
  }
}

/// The stored events' product interactions, read for other modules: Analytics owns the event
/// tables, the others ask here.
package enum EventHistory {
  /// The key events store `user_id` as.
  package static func userKey(_ user: String) -> Int64 { StableHash.of(user) }

  /// The key events store `product_id` as.
  package static func productKey(_ product: String) -> Int64 { Names.id(.product, product) }

  /// The key events store a country code as.
  package static func countryKey(_ country: String) -> Int64 {
    Names.id(.country, country.uppercased())
  }

  /// The first and last day with raw events (days since 1970), or `nil` when none is stored.
  package static func days(_ db: Database) throws -> ClosedRange<Int64>? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT min(day) AS first_day, max(day) AS last_day FROM analytics_block"),
      let first = row["first_day"] as Int64?, let last = row["last_day"] as Int64?
    else { return nil }
    return first...last
  }

  /// Calls `body` with every stored view, cart and purchase of the days in `days`, day by day in
  /// ingest order.
  package static func each(
    _ db: Database, days: ClosedRange<Int64>, _ body: (ShopperEvent) throws -> Void
  ) throws {
    // Each block is read in place, not copied into a `Data` (a tenth of adding a day to the
    // recommendation model was that copy).
    try RawRows.each(
      db, sql: "SELECT day, events FROM analytics_block WHERE day BETWEEN ? AND ? ORDER BY day, id",
      arguments: [days.lowerBound, days.upperBound]
    ) { block in
      try EventBlock.forEach(block.blob(1), day: block.integer(0)) { event in
        let kind: ShopperEvent.Kind
        switch event.type {
        case .productView: kind = .view
        case .addToCart: kind = .cart
        case .purchase: kind = .purchase
        case .pageView, .search: return
        }
        guard event.product != 0 else { return }
        try body(
          ShopperEvent(
            ts: event.ts, kind: kind, user: event.user, session: event.session,
            product: event.product, country: event.country))
      }
    }
  }

  /// Calls `body` with each product's views, carts and purchases of each day in `days` (all
  /// currencies summed), day by day: read from the day rollups, which outlive the raw events.
  package static func productDays(
    _ db: Database, days: ClosedRange<Int64>,
    _ body: (_ day: Int64, _ product: Int64, _ views: Int, _ carts: Int, _ purchases: Int) -> Void
  ) throws {
    for day in days {
      let (records, _) = try ProductPack.load(day...day, db)
      for record in records {
        body(
          day, record.product, Int(record.views), Int(record.carts), Int(record.purchases))
      }
    }
  }

  /// The product views, carts and purchases stored per day (from the day rollups): what tells a
  /// model trained before that late events were added to a day since.
  package static func productEventsPerDay(_ db: Database) throws -> [Int64: Int] {
    var counts: [Int64: Int] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT day, sum(product_views + carts + purchases) AS product_events FROM analytics_day
        GROUP BY day ORDER BY day
        """)
    {
      counts[row["day"]] = row["product_events"]
    }
    return counts
  }

  /// The product ids behind the product keys of `keys` (those known).
  package static func productNames(_ db: Database, keys: [Int64]) throws -> [Int64: String] {
    var names: [Int64: String] = [:]
    try SQLInList.chunks(keys) { marks, arguments in
      for row in try Row.fetchAll(
        db, sql: "SELECT id, name FROM analytics_name WHERE kind = ? AND id IN (\(marks))",
        arguments: [NameKind.product.rawValue] + arguments)
      {
        names[row["id"]] = row["name"]
      }
    }
    return names
  }

  /// The product ids behind product keys.
  package static func productNames(_ db: Database) throws -> [Int64: String] {
    var names: [Int64: String] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT id, name FROM analytics_name WHERE kind = ?",
      arguments: [NameKind.product.rawValue])
    {
      names[row["id"]] = row["name"]
    }
    return names
  }

  /// The stored searches of the days in `days` with their query's text, day by day in ingest
  /// order.
  package static func searches(_ db: Database, days: ClosedRange<Int64>) throws
    -> [StoredSearch]
  {
    var found: [(ts: Int64, user: Int64, session: Int64, query: Int64)] = []
    let blocks = try Row.fetchCursor(
      db, sql: "SELECT day, events FROM analytics_block WHERE day BETWEEN ? AND ? ORDER BY day, id",
      arguments: [days.lowerBound, days.upperBound])
    while let block = try blocks.next() {
      EventBlock.forEach(block["events"], day: block["day"]) { event in
        guard event.type == .search, event.query != 0 else { return }
        found.append((event.ts, event.user, event.session, event.query))
      }
    }
    var texts: [Int64: String] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT id, name FROM analytics_name WHERE kind = ?",
      arguments: [NameKind.query.rawValue])
    {
      texts[row["id"]] = row["name"]
    }
    return found.compactMap { search in
      texts[search.query].map {
        StoredSearch(ts: search.ts, user: search.user, session: search.session, query: $0)
      }
    }
  }
}

/// One stored search as other modules read it: who searched what, when, in which session.
package struct StoredSearch: Sendable, Equatable {
  package var ts: Int64
  /// The user and session, as ``EventHistory/userKey(_:)`` hashes ids.
  package var user: Int64
  package var session: Int64
  package var query: String
}
