import Analytics
import Catalog
import Foundation
import GRDB
import MktCore
import Store
import Testing

@testable import Recommendations

/// The stored model, the evaluation split and what the service refuses.
struct ServiceTests {
  /// Seeded events of 60 users over 20 days, as JSON lines.
  static func events(seed: UInt64) -> [String] {
    var random = SplitMix(state: seed)
    let kinds = ["product_view", "product_view", "product_view", "add_to_cart", "purchase"]
    return (0..<3_000).map { index in
      let ts = StrategyTests.start + Int64(index) * 576
      let kind = kinds[Int(random.next() % 5)]
      var line =
        "{\"ts\":\(ts),\"type\":\"\(kind)\",\"user_id\":\"u\(random.next() % 60)\","
        + "\"product_id\":\"p\(1 + random.next() % 9)\",\"country\":\"DE\""
      if kind == "purchase" { line += ",\"price\":9.99,\"currency\":\"EUR\"" }
      return line + "}"
    }
  }

  static func store(_ lines: [String], in directory: String) async throws -> Store {
    let store = try Store.open(path: directory + "/mkt.db", mode: .create)
    let path = directory + "/events.jsonl"
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    _ = try await AnalyticsService(store: store).ingest(path: path)
    return store
  }

  /// A store of `events(seed:)` with a trained model, and its service.
  static func trained(seed: UInt64, in directory: String) async throws
    -> (Store, RecommendationService)
  {
    let store = try await Self.store(Self.events(seed: seed), in: directory)
    let service = RecommendationService(store: store)
    _ = try await service.train()
    return (store, service)
  }

  static func directory() throws -> String {
    let path = NSTemporaryDirectory() + "mkt-recs-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// The first shopper with four products to show (some bought everything there is), and
  /// those products.
  static func shopperWithFour(_ service: RecommendationService) async throws
    -> (String, [String])
  {
    for index in 0..<60 {
      let found = try await service.forUser("u\(index)", ListOptions(limit: 4, perCategory: 0))
      if found.items.count == 4 { return ("u\(index)", found.items.map(\.product)) }
    }
    Issue.record("no shopper has four products to show")
    throw CancellationError()
  }

  @Test func theStoredModelRecommendsWhatTheTrainedOneDoes() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try await Self.store(Self.events(seed: 1), in: directory)
    let service = RecommendationService(store: store)
    let info = try await service.train()
    #expect(info.users == 60 && info.products == 9)
    let (model, data) = try await store.read { db in
      let data = try Interactions.load(db)
      return (
        Model.train(data, try Catalogue.load(db, items: data.items), TrainingSettings()), data
      )
    }
    let names = try await store.read { db in try EventHistory.productNames(db) }
    var shown = 0
    for user in 0..<60 {
      let stored = try await service.forUser("u\(user)", ListOptions(limit: 5, perCategory: 0))
      let expected = model.recommend(
        model.profile(of: EventHistory.userKey("u\(user)")), weights: .standard,
        selection: Selection(limit: 5, perCategory: 0), at: model.end
      ).map { names[data.items[Int($0.item)]] ?? "" }
      #expect(stored.items.map(\.product) == expected, "user u\(user)")
      #expect(stored.notes.isEmpty)
      shown += expected.isEmpty ? 0 : 1
    }
    // Some users bought all nine products: nothing is left to show them.
    #expect(shown >= 30)
    let first = try await service.forUser("u1", ListOptions(limit: 3, perCategory: 0))
    let again = try await service.forUser("u1", ListOptions(limit: 3, perCategory: 0))
    #expect(first == again)
    let unknown = try await service.forUser("stranger", ListOptions(limit: 3))
    #expect(unknown.notes.first?.contains("no events") == true)
  }

  @Test func trainingSinceADayLearnsFromThoseDaysAlone() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let lines = Self.events(seed: 5)
    let store = try await Self.store(lines, in: directory)
    let service = RecommendationService(store: store)
    let all = try await service.train()
    // The events are 576 s apart from StrategyTests.start: the last 1,000 start 2,000 in.
    let since = StrategyTests.start + 2_000 * 576
    let steps = Steps()
    let recent = try await service.train(since: since) { steps.add($0) }
    #expect(all.events == 3_000 && recent.events == 1_000)
    #expect(steps.saw("learning") && steps.saw("saving"))
    await #expect(throws: RecommendationError.nothingToLearn) {
      try await service.train(since: StrategyTests.start + 4_000 * 576)
    }
  }

  @Test func aServiceKeptAliveAnswersFromTheModelTrainedLast() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (store, service) = try await Self.trained(seed: 3, in: directory)
    let before = try await service.trending(ListOptions(limit: 20, perCategory: 0))
    #expect(!before.items.map(\.product).contains("p20"))
    // A launch after the first training, trained by another service (another process).
    let end = StrategyTests.start + 3_000 * 576
    let launch = (0..<300).map { index in
      "{\"ts\":\(end + Int64(index) * 60),\"type\":\"purchase\",\"user_id\":\"u\(index % 60)\","
        + "\"product_id\":\"p20\",\"country\":\"DE\",\"price\":5,\"currency\":\"EUR\"}"
    }
    let path = directory + "/launch.jsonl"
    try Data(launch.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    _ = try await AnalyticsService(store: store).ingest(path: path)
    _ = try await RecommendationService(store: store).train()
    let after = try await service.trending(ListOptions(limit: 20, perCategory: 0))
    #expect(after.items.first?.product == "p20")
    #expect(try await service.similar(to: "p20").items.count >= 0)
  }

  @Test func theStoredListsAreTheTrainedOnes() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (store, service) = try await Self.trained(seed: 2, in: directory)
    let (model, data) = try await store.read { db in
      let data = try Interactions.load(db)
      return (
        Model.train(data, try Catalogue.load(db, items: data.items), TrainingSettings()), data
      )
    }
    let names = try await store.read { db in try EventHistory.productNames(db) }
    for product in 1...9 {
      let item = data.itemIndex[EventHistory.productKey("p\(product)")] ?? -1
      let expected = model.similar.of(item).map {
        names[data.items[Int(model.similar.targets[$0])]] ?? ""
      }
      let stored = try await service.similar(to: "p\(product)", ListOptions(limit: 100))
      #expect(stored.items.map(\.product) == expected, "p\(product)")
    }
  }

  @Test func aPlantedFuturePurchaseDoesNotHelp() throws {
    let lines = Self.events(seed: 3)
    func events(_ lines: [String]) -> [ShopperEvent] {
      lines.compactMap { line in
        guard
          let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let ts = object["ts"] as? Int64, let user = object["user_id"] as? String,
          let product = object["product_id"] as? String, let type = object["type"] as? String
        else { return nil }
        let kind: ShopperEvent.Kind =
          type == "purchase" ? .purchase : type == "add_to_cart" ? .cart : .view
        return ShopperEvent(
          ts: ts, kind: kind, user: EventHistory.userKey(user), session: EventHistory.userKey(user),
          product: EventHistory.productKey(product))
      }
    }
    let evaluator = Evaluator(holdoutDays: 3)
    let load: ([Int64]) throws -> Catalogue = {
      Catalogue(items: $0, names: [:], products: [])
    }
    let plain = try #require(
      try evaluator.run(events(lines), catalogue: load, weights: .standard, settings: .init()))
    // Every test-window event again, many times over, by other users and the test users: the
    // figures must not move, since only events before the cut are learned from.
    let end = events(lines).map(\.ts).max() ?? 0
    var planted = events(lines)
    for event in planted where event.ts > end - 3 * 86_400 {
      for copy in 0..<5 {
        var extra = event
        extra.user = EventHistory.userKey("future-\(copy)")
        extra.ts = min(event.ts + 1, end)
        planted.append(extra)
        var own = event
        own.kind = .view
        planted.append(own)
      }
    }
    let withFuture = try #require(
      try evaluator.run(planted, catalogue: load, weights: .standard, settings: .init()))
    #expect(plain.testUsers > 0)
    #expect(plain.rows == withFuture.rows)
    #expect(plain.trainEvents == withFuture.trainEvents)
  }

  @Test func productsOutOfStockWhereTheShopperIsAreLeftOut() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (store, service) = try await Self.trained(seed: 7, in: directory)
    let (user, all) = try await Self.shopperWithFour(service)
    // The first has none left anywhere; the second is in a warehouse serving France only.
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO merchant (id, name, country, currency) VALUES ('m', 'M', 'DE', 'EUR');
          INSERT INTO warehouse (merchant_id, id, name, country, serves)
            VALUES ('m', 'de', 'Berlin', 'DE', 'DE AT'), ('m', 'fr', 'Lyon', 'FR', 'FR');
          INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand) VALUES
            ('m', ?, 'de', 0), ('m', ?, 'fr', 5);
          """, arguments: [all[0], all[1]])
    }
    let inGermany = try await service.forUser(
      user, ListOptions(limit: 4, perCategory: 0, country: "de"))
    #expect(!inGermany.items.map(\.product).contains(all[0]))
    #expect(!inGermany.items.map(\.product).contains(all[1]))
    #expect(inGermany.items.map(\.product).starts(with: all[2...3]))
    let inFrance = try await service.forUser(
      user, ListOptions(limit: 4, perCategory: 0, country: "FR"))
    #expect(inFrance.items.first?.product == all[1])
    let everything = try await service.forUser(
      user, ListOptions(limit: 4, perCategory: 0, includeOutOfStock: true))
    #expect(everything.items.map(\.product) == all)
  }

  @Test func listsKeepToTheMerchantAndTheShoppersCountry() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (store, service) = try await Self.trained(seed: 8, in: directory)
    let (user, all) = try await Self.shopperWithFour(service)
    // m (in Germany) sells the first two, the second shipped to Austria only; n (in France)
    // sells the third; the fourth is in no catalog.
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO merchant (id, name, country, currency) VALUES
            ('m', 'M', 'DE', 'EUR'), ('n', 'N', 'FR', 'EUR');
          INSERT INTO product (merchant_id, id, attributes, attribute_mask, content_hash) VALUES
            ('m', ?1, '{}', 0, 1),
            ('m', ?2, '{"shipping":[{"country":"AT","price":"4.95 EUR"}]}', 0, 2),
            ('n', ?3, '{}', 0, 3);
          """, arguments: [all[0], all[1], all[2]])
    }
    func shown(_ options: ListOptions) async throws -> [String] {
      try await service.forUser(user, options).items.map(\.product)
    }
    #expect(
      try await shown(ListOptions(limit: 4, perCategory: 0, merchant: "m")) == [all[0], all[1]])
    #expect(try await shown(ListOptions(limit: 4, perCategory: 0, merchant: "n")) == [all[2]])
    // Germany: not the product shipped to Austria alone, nor the French merchant's.
    #expect(
      try await shown(ListOptions(limit: 4, perCategory: 0, country: "DE")) == [all[0], all[3]])
    #expect(
      try await shown(ListOptions(limit: 4, perCategory: 0, country: "AT")) == [all[1], all[3]])
  }

  @Test func whatIsRefused() async throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let empty = RecommendationService(
      store: try Store.open(path: directory + "/empty.db", mode: .create))
    await #expect(throws: RecommendationError.nothingToLearn) { try await empty.train() }
    await #expect(throws: RecommendationError.notTrained) { try await empty.forUser("u1") }
    let (store, service) = try await Self.trained(seed: 4, in: directory)
    await #expect(throws: RecommendationError.unknownProduct("p99", nearest: ["p9"])) {
      try await service.similar(to: "p99")
    }
    // A model another version stored is not read (its layout may differ): train again.
    try await store.write { db in
      try db.execute(sql: "UPDATE recs_model SET value = x'6f6c64' WHERE name = 'format'")
    }
    await #expect(throws: RecommendationError.staleModel) { try await service.forUser("u1") }
    _ = try await service.train()
    #expect(try await service.forUser("u1").items.isEmpty == false)
  }
}

/// Weights: set, normalised, refused, tuned, kept across trainings.
struct WeightTests {
  @Test func weightsAreNormalisedKeptAndReset() async throws {
    let directory = try ServiceTests.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try await ServiceTests.store(ServiceTests.events(seed: 5), in: directory)
    let service = RecommendationService(store: store)
    #expect(try await service.weights() == .standard)
    let set = try await service.setWeights(Weights(values: [.collaborative: 3, .content: 1]))
    #expect(set[.collaborative] == 0.75 && set[.content] == 0.25 && set[.trending] == 0)
    _ = try await service.train()
    #expect(try await service.weights() == set)
    await #expect(throws: RecommendationError.self) {
      try await service.setWeights(Weights(values: [.collaborative: -1, .content: 2]))
    }
    await #expect(throws: RecommendationError.self) {
      try await service.setWeights(Weights(values: [:]))
    }
    #expect(try await service.resetWeights() == .standard)
    #expect(try await service.weights() == .standard)
  }

  @Test func tuningNeverLowersTheValidationHitRate() async throws {
    let directory = try ServiceTests.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try await ServiceTests.store(ServiceTests.events(seed: 6), in: directory)
    let service = RecommendationService(store: store)
    let dry = try await service.tune(holdoutDays: 4, dryRun: true)
    #expect(dry.validationAfter >= dry.validationBefore)
    #expect(abs(Weights.blended.reduce(0) { $0 + dry.after[$1] } - 1) < 1e-9)
    #expect(try await service.weights() == .standard)
    let tuned = try await service.tune(holdoutDays: 4)
    #expect(try await service.weights() == tuned.after)
  }
}

/// The training steps heard, from any thread.
final class Steps: @unchecked Sendable {
  // SAFETY: `names` is read and written under `lock` alone.
  private let lock = NSLock()
  private var names: [String] = []

  func add(_ step: RecommendationService.TrainingStep) {
    let name =
      switch step {
      case .reading: "reading"
      case .learning: "learning"
      case .saving: "saving"
      }
    lock.withLock { names.append(name) }
  }

  func saw(_ name: String) -> Bool { lock.withLock { names.contains(name) } }
}
