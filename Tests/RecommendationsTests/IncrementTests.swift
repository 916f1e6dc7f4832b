import Analytics
import Foundation
import GRDB
import MktCore
import Store
import Testing

@testable import Recommendations

/// `mkt recs train` run again adds the new events to the stored model, and the model it makes
/// is the one a full training makes (up to what ``Increment`` says it approximates).
struct IncrementTests {
  static let day: Int64 = 86_400
  /// The day whose events come after the first training.
  static let lastDay = StrategyTests.start + 25 * day

  /// 9,000 seeded events of 120 shoppers over 26 days, in sessions, on 40 products in 5
  /// categories; a launch (p41) and 10 new shoppers on the last day.
  static func events() -> [String] {
    var random = SplitMix(state: 11)
    let kinds = ["product_view", "product_view", "product_view", "add_to_cart", "purchase"]
    return (0..<9_000).map { index in
      let ts = StrategyTests.start + Int64(index) * 250
      let kind = kinds[Int(random.next() % 5)]
      let last = ts >= lastDay
      let user = last && random.next() % 4 == 0 ? 120 + random.next() % 10 : random.next() % 120
      let product = last && random.next() % 5 == 0 ? 41 : 1 + random.next() % 40
      var line =
        "{\"ts\":\(ts),\"type\":\"\(kind)\",\"user_id\":\"u\(user)\","
        + "\"session_id\":\"s\(user)-\(ts / 7_200)\",\"product_id\":\"p\(product)\","
        + "\"country\":\"DE\""
      if kind == "purchase" { line += ",\"price\":9.99,\"currency\":\"EUR\"" }
      return line + "}"
    }
  }

  static func ingest(_ lines: [String], _ store: Store, _ directory: String) async throws {
    let path = directory + "/events-\(UUID().uuidString).jsonl"
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    _ = try await AnalyticsService(store: store).ingest(path: path)
  }

  /// A store with the catalog of the 41 products (categories c0–c4, brands b0–b2).
  static func store(_ directory: String, _ name: String) async throws -> Store {
    let store = try Store.open(path: directory + "/\(name).db", mode: .create)
    try await store.write { db in
      try db.execute(
        sql: "INSERT INTO merchant (id, name, country, currency) VALUES ('m', 'M', 'DE', 'EUR')")
      for product in 1...41 {
        try db.execute(
          sql: """
            INSERT INTO product (merchant_id, id, product_type, brand, attributes,
              attribute_mask, content_hash) VALUES ('m', ?, ?, ?, '{}', 0, ?)
            """, arguments: ["p\(product)", "Home > c\(product % 5)", "b\(product % 3)", product])
      }
    }
    return store
  }

  /// The stored model's shared part and state, by product key.
  static func stored(_ store: Store) async throws -> (Model, TrainingState) {
    try await store.read { db in
      (try #require(try Model.shared(db)), try #require(try TrainingState.stored(db)))
    }
  }

  @Test func aDayAddedIsTheModelAFullTrainingMakes() async throws {
    let directory = try ServiceTests.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let lines = Self.events()
    let split = lines.firstIndex { $0.contains("\"ts\":\(Self.lastDay)") } ?? 0
    let later = try await Self.store(directory, "later")
    try await Self.ingest(Array(lines[..<split]), later, directory)
    let service = RecommendationService(store: later)
    let first = try await service.train()
    #expect(first.added == nil && first.fullBecause == nil)
    try await Self.ingest(Array(lines[split...]), later, directory)
    let second = try await service.train()
    #expect(second.added == lines.count - split && second.events == lines.count)
    #expect(second.fullBecause == nil && second.products == 41 && second.users == 130)
    #expect(try await service.train().added == 0)

    let whole = try await Self.store(directory, "whole")
    try await Self.ingest(lines, whole, directory)
    let reference = RecommendationService(store: whole)
    #expect(try await reference.train().events == lines.count)

    let (model, state) = try await Self.stored(later)
    let (full, fullState) = try await Self.stored(whole)
    #expect(model.end == full.end)
    let position = Dictionary(uniqueKeysWithValues: fullState.keys.enumerated().map { ($1, $0) })
    func close(_ one: [Float], _ other: [Float], _ name: String) {
      for (index, key) in state.keys.enumerated() {
        let expected = other[position[key] ?? -1]
        #expect(abs(one[index] - expected) <= 1e-3 * max(1, expected), "\(name) of \(key)")
      }
    }
    close(state.popularity, fullState.popularity, "popularity")
    close(state.visits, fullState.visits, "visits")
    close(state.baskets, fullState.baskets, "baskets")
    close(state.seen, fullState.seen, "seen")
    #expect(state.sessions == fullState.sessions)
    func keysOf(_ head: Model.Head, _ keys: [Int64]) -> [Int64] { head.map { keys[Int($0.item)] } }
    #expect(keysOf(model.popular, state.keys) == keysOf(full.popular, fullState.keys))
    #expect(keysOf(model.trending, state.keys) == keysOf(full.trending, fullState.keys))
    #expect(
      Set(model.bestsellers.map { state.keys[Int($0)] })
        == Set(full.bestsellers.map { fullState.keys[Int($0)] }))

    // What shoppers and product pages see.
    var same = 0
    for user in 0..<130 {
      let options = ListOptions(limit: 10, perCategory: 0)
      let mine = try await service.forUser("u\(user)", options).items.map(\.product)
      let theirs = try await reference.forUser("u\(user)", options).items.map(\.product)
      #expect(Set(mine).intersection(theirs).count >= 8, "u\(user): \(mine) vs \(theirs)")
      if mine == theirs { same += 1 }
    }
    // 125 of 130: a profile keeps its 30 top products, and these shoppers met all 41.
    #expect(same >= 120, "\(same) of 130 shoppers see the same ten in the same order")
    for product in 1...41 {
      let mine = try await service.similar(to: "p\(product)", ListOptions(limit: 10))
      let theirs = try await reference.similar(to: "p\(product)", ListOptions(limit: 10))
      #expect(
        Set(mine.items.map(\.product)).intersection(theirs.items.map(\.product)).count >= 8,
        "p\(product)")
    }
  }

  @Test func lateEventsOrAFullFlagTrainInFull() async throws {
    let directory = try ServiceTests.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let lines = Self.events()
    let store = try await Self.store(directory, "late")
    try await Self.ingest(lines, store, directory)
    let service = RecommendationService(store: store)
    _ = try await service.train()
    // An event of the third day, ingested after the model learned it.
    let late = StrategyTests.start + 2 * Self.day + 100
    try await Self.ingest(
      ["{\"ts\":\(late),\"type\":\"product_view\",\"user_id\":\"u1\",\"product_id\":\"p2\"}"],
      store, directory)
    let info = try await service.train()
    #expect(info.added == nil && info.events == lines.count + 1)
    #expect(info.fullBecause?.contains("events were added to 2025-01-03") == true)
    #expect(try await service.train().added == 0)
    let forced = try await service.train(full: true)
    #expect(forced.added == nil && forced.fullBecause == nil)
  }
}
