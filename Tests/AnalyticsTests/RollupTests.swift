import Analytics
import Foundation
import GRDB
import MktCore
import Store
import Testing

/// The rollups kept at ingest equal a recomputation from the events themselves, however the
/// events are split into files, repeated or late; a rebuild from the raw events gives the same
/// rollups again (issue 16).
@Suite struct RollupTests {
  /// What the rollups must say about one day, computed here from the events alone.
  struct Expected: Equatable {
    var counts: [String: Int64] = [:]
    var sessions = Set<String>()
    var viewSessions = Set<String>()
    var cartSessions = Set<String>()
    var purchaseSessions = Set<String>()
    var visitors = Set<String>()
    var revenue: [String: Int64] = [:]
  }

  /// The unique events in ingest order, first occurrence winning (by event_id, else content).
  static func unique(_ files: [[TestEvent]]) -> [TestEvent] {
    var seen = Set<String>()
    var events: [TestEvent] = []
    for event in files.joined() where seen.insert(event.eventID ?? event.json).inserted {
      events.append(event)
    }
    return events
  }

  static func expected(_ events: [TestEvent]) -> [Int64: Expected] {
    var days: [Int64: Expected] = [:]
    for event in events {
      var day = days[event.day] ?? Expected()
      day.counts[event.type, default: 0] += 1
      day.sessions.insert(event.session)
      day.visitors.insert(event.user)
      switch event.type {
      case "product_view": day.viewSessions.insert(event.session)
      case "add_to_cart": day.cartSessions.insert(event.session)
      case "purchase":
        day.purchaseSessions.insert(event.session)
        let minor = Int64((Double(event.price ?? "0") ?? 0) * 100 + 0.5)
        day.revenue[event.currency ?? "", default: 0] += minor
      default: break
      }
      days[event.day] = day
    }
    return days
  }

  /// Search rollups per day and normalised query: searches, zero results, clicks (a product
  /// view in the same session and day after the search, in ingest order).
  static func expectedSearches(_ events: [TestEvent]) -> [String: [Int64]] {
    var rows: [String: [Int64]] = [:]
    var pending: [String: (query: String, ts: Int64)] = [:]
    for event in events {
      let session = "\(event.day)/\(event.session)"
      if event.type == "search", let raw = event.query {
        let query = raw.lowercased().split(separator: " ").joined(separator: " ")
        let key = "\(event.day)/\(query)"
        var row = rows[key] ?? [0, 0, 0]
        row[0] += 1
        if event.results == 0 { row[1] += 1 }
        rows[key] = row
        pending[session] = (query, event.ts)
      } else if event.type == "product_view", let search = pending[session], event.ts >= search.ts {
        rows["\(event.day)/\(search.query)", default: [0, 0, 0]][2] += 1
        pending[session] = nil
      }
    }
    return rows
  }

  /// The stored day rollups, summed over segments.
  static func stored(_ store: Store) async throws -> [Int64: [Int64]] {
    try await store.read { db in
      var days: [Int64: [Int64]] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT day, sum(page_views), sum(product_views), sum(carts), sum(purchases),
            sum(searches), sum(sessions), sum(view_sessions), sum(cart_sessions),
            sum(purchase_sessions), sum(visitors)
          FROM analytics_day GROUP BY day
          """)
      {
        days[row[0]] = (1...10).map { row[$0] }
      }
      return days
    }
  }

  /// Every rollup table's rows, for comparing two states.
  static func snapshot(_ store: Store) async throws -> [String] {
    try await store.read { db in
      var lines: [String] = []
      for (table, order) in [
        ("analytics_day", "day, segment"), ("analytics_revenue", "day, segment, currency"),
        ("analytics_product_day", "day, product, currency"),
        ("analytics_query_day", "day, query, country"), ("analytics_sketch", "day, country"),
        ("analytics_ab", "experiment, variant, day, user, currency"),
        ("analytics_product_pack", "day"),
      ] {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
          lines.append(table + " " + row.description)
        }
      }
      // Sessions and visitors are packed from dictionaries: compared as sorted entries.
      for row in try Row.fetchAll(
        db, sql: "SELECT day, part, data FROM analytics_state ORDER BY day, part")
      {
        let data: Data = row[2]
        let width = (row[1] as Int64) == 2 ? 5 : 2
        var entries: [String] = []
        var offset = 0
        while offset + width * 8 <= data.count {
          entries.append(
            (0..<width).map { index in
              String(
                data[
                  (data.startIndex + offset + index * 8)..<(data.startIndex + offset + index * 8 + 8)
                ]
                .reduce(0) { $0 &* 256 &+ UInt64($1) })
            }.joined(separator: ","))
          offset += width * 8
        }
        lines.append(
          "state \(row[0] as Int64) \(row[1] as Int64) " + entries.sorted().joined(separator: ";"))
      }
      return lines
    }
  }

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func rollupsEqualARecomputationAndARebuild(seed: UInt64) async throws {
    let directory = try TemporaryDirectory()
    let store = try Store.open(path: directory.file("mkt.db"), mode: .create)
    let service = AnalyticsService(store: store)
    let events = TestEvent.random(count: 600, days: 4, seed: seed)
    var random = SeededRandom(state: seed &* 31)
    // The first file holds about half the events; the second the rest (late for the days of
    // the first) and some of the first's again; the third only repeats.
    var first: [TestEvent] = []
    var second: [TestEvent] = []
    for event in events {
      if Bool.random(using: &random) { first.append(event) } else { second.append(event) }
    }
    second += first.shuffled(using: &random).prefix(30)
    let third = events.shuffled(using: &random).prefix(50).map { $0 }
    for (index, file) in [first, second, third].enumerated() {
      let path = try directory.write(
        "events-\(index).jsonl", file.map(\.json).joined(separator: "\n") + "\n")
      let summary = try await service.ingest(path: path)
      #expect(summary.rejected == 0, "\(summary.issues)")
    }
    let unique = Self.unique([first, second, third])
    #expect(try await service.stats().events == unique.count)
    let stored = try await Self.stored(store)
    let expected = Self.expected(unique)
    #expect(stored.count == expected.count)
    for (day, want) in expected {
      let counts = ["page_view", "product_view", "add_to_cart", "purchase", "search"].map {
        want.counts[$0] ?? 0
      }
      let sets = [
        want.sessions, want.viewSessions, want.cartSessions, want.purchaseSessions, want.visitors,
      ].map { Int64($0.count) }
      #expect(stored[day] == counts + sets, "day \(day), seed \(seed)")
    }
    let overview = try await service.overview(ReportFilter(), by: .day)
    #expect(overview.rows.count == expected.count)
    for row in overview.rows {
      let want = expected[Analytics.day(row.period) ?? 0] ?? Expected()
      let revenue = want.revenue.values.reduce(0, +)
      #expect(abs(row.revenue - Double(revenue) / 100) < 0.001, "revenue of \(row.period)")
      #expect(
        row.conversionRate
          == (Double(want.purchaseSessions.count) / Double(want.sessions.count) * 10_000)
          .rounded() / 10_000)
    }
    let searches = try await store.read { db in
      var rows: [String: [Int64]] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT q.day, n.name, sum(searches), sum(zero_results), sum(clicks)
          FROM analytics_query_day q JOIN analytics_name n ON n.id = q.query
          GROUP BY q.day, n.name
          """)
      {
        rows["\(row[0] as Int64)/\(row[1] as String)"] = [row[2], row[3], row[4]]
      }
      return rows
    }
    #expect(searches == Self.expectedSearches(unique), "seed \(seed)")

    // Products, ranked in SQL, against the events.
    var views: [String: Int64] = [:]
    var bought: [String: Int64] = [:]
    for event in unique where event.product != nil {
      if event.type == "product_view" { views[event.product ?? "", default: 0] += 1 }
      if event.type == "purchase" { bought[event.product ?? "", default: 0] += 1 }
    }
    let top = try await service.products(ReportFilter(), by: .views, limit: 5)
    let expectedTop = views.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
    // Ties may come in any order: the counts, and each row's own figures, must hold.
    #expect(top.rows.map(\.views) == expectedTop.map(\.value), "seed \(seed)")
    for row in top.rows {
      #expect(row.views == views[row.product] && row.purchases == bought[row.product] ?? 0)
    }

    let before = try await Self.snapshot(store)
    let replayed = try await service.rebuild(from: Analytics.dayText(unique.map(\.day).min() ?? 0))
    #expect(replayed == unique.count)
    #expect(try await Self.snapshot(store) == before, "rebuild = incremental, seed \(seed)")

    // The packs the reports merge hold what the table holds: the same reports without them.
    var packed: [[ProductRow]] = []
    for ranking in ProductRanking.allCases {
      packed.append(try await service.products(ReportFilter(), by: ranking, limit: 20).rows)
    }
    packed.append(try await service.products(ReportFilter(), limit: 5, worst: true).rows)
    let packs = try await store.write { db in
      try db.execute(sql: "DELETE FROM analytics_product_pack")
      return db.changesCount
    }
    #expect(packs > 0)
    var fromTable: [[ProductRow]] = []
    for ranking in ProductRanking.allCases {
      fromTable.append(try await service.products(ReportFilter(), by: ranking, limit: 20).rows)
    }
    fromTable.append(try await service.products(ReportFilter(), limit: 5, worst: true).rows)
    #expect(packed == fromTable, "seed \(seed)")
  }

  @Test func theSameFileTwiceAddsNothing() async throws {
    let directory = try TemporaryDirectory()
    let store = try Store.open(path: directory.file("mkt.db"), mode: .create)
    let service = AnalyticsService(store: store)
    let events = TestEvent.random(count: 200, days: 2, seed: 9)
    let path = try directory.write("a.jsonl", events.map(\.json).joined(separator: "\n"))
    let first = try await service.ingest(path: path)
    #expect(first.ingested == 200 && first.duplicates == 0)
    let before = try await Self.snapshot(store)
    let again = try await service.ingest(path: path)
    #expect(again.ingested == 0 && again.duplicates == 200)
    #expect(try await Self.snapshot(store) == before)
    // The same events written with other spacing and key order are the same events.
    let respelled = events.map { event -> String in
      var copy = event
      copy.eventID = nil
      return copy.json
    }
    _ = try await service.ingest(
      path: try directory.write("b.jsonl", respelled.joined(separator: "\n")))
    let reordered = respelled.map { line -> String in
      let body = line.dropFirst().dropLast().split(separator: ",").reversed()
      return "{ " + body.joined(separator: " , ") + " }"
    }
    let third = try await service.ingest(
      path: try directory.write("c.jsonl", reordered.joined(separator: "\n")))
    #expect(third.ingested == 0 && third.duplicates == 200, "\(third.line)")
  }
}
