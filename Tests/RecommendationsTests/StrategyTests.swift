import Analytics
import Catalog
import Foundation
import Testing

@testable import Recommendations

/// Hand-built shoppers, each strategy on the case it is for.
struct StrategyTests {
  static let day: Int64 = 86_400
  static let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z

  /// Builds events with readable names: users, sessions and products are texts.
  struct Script {
    var events: [ShopperEvent] = []

    mutating func add(
      _ user: String, _ kind: ShopperEvent.Kind, _ product: String, day: Int64,
      minute: Int64 = 0, session: String? = nil
    ) {
      events.append(
        ShopperEvent(
          ts: StrategyTests.start + day * StrategyTests.day + minute * 60, kind: kind,
          user: EventHistory.userKey(user),
          session: EventHistory.userKey(session ?? "\(user)-\(day)"),
          product: EventHistory.productKey(product)))
    }
  }

  static let catalog = [
    ("p1", "Home > Kitchen"), ("p2", "Home > Kitchen"), ("p3", "Home > Garden"),
    ("p4", "Books"), ("p5", "Books"), ("p6", "Toys"), ("p7", "Grocery > Coffee"),
    ("p8", "Toys"), ("p9", "Books"),
  ].map { ProductFacts(merchant: "m1", id: $0.0, category: $0.1) }

  static func model(_ script: Script) -> (Model, Interactions) {
    let data = Interactions(script.events)
    let names = Dictionary(
      uniqueKeysWithValues: catalog.map { (EventHistory.productKey($0.id), $0.id) })
    let catalogue = Catalogue(items: data.items, names: names, products: catalog)
    return (Model.train(data, catalogue, TrainingSettings()), data)
  }

  static func top(
    _ model: Model, _ data: Interactions, user: String, _ strategy: Strategy?,
    limit: Int = 3, perCategory: Int = 0
  ) -> [String] {
    let profile = model.profile(of: EventHistory.userKey(user))
    return model.recommend(
      profile, weights: .standard,
      selection: Selection(limit: limit, perCategory: perCategory, skipBought: true),
      at: model.end, only: strategy
    ).map { data.itemName($0.item) }
  }

  @Test func collaborativeFindsWhatOthersViewedNextToIt() {
    var script = Script()
    for user in ["a", "b", "c", "d"] {
      script.add(user, .view, "p1", day: 1)
      script.add(user, .view, "p4", day: 1, minute: 1)
    }
    script.add("e", .view, "p6", day: 2)
    script.add("e", .view, "p9", day: 2, minute: 1)
    script.add("x", .view, "p1", day: 3)
    let (model, data) = Self.model(script)
    #expect(Self.top(model, data, user: "x", .collaborative).first == "p4")
  }

  @Test func crossSellFindsWhatFollowsACart() {
    var script = Script()
    for user in ["a", "b", "c"] {
      script.add(user, .cart, "p1", day: 1)
      script.add(user, .view, "p3", day: 1, minute: 2)
    }
    // p5 is seen in every session without a cart before it: no lift.
    for user in ["d", "e", "f", "g"] { script.add(user, .view, "p5", day: 1) }
    script.add("y", .cart, "p1", day: 3)
    let (model, data) = Self.model(script)
    #expect(Self.top(model, data, user: "y", .crossSell) == ["p3"])
  }

  @Test func contentFindsTheBestSellerOfTheFavouriteCategory() {
    var script = Script()
    for user in ["a", "b", "c"] { script.add(user, .purchase, "p5", day: 1) }
    script.add("d", .view, "p9", day: 1)
    script.add("d", .view, "p6", day: 1)
    script.add("z", .view, "p4", day: 2)
    let (model, data) = Self.model(script)
    #expect(Self.top(model, data, user: "z", .content).first == "p5")
  }

  @Test func aLaunchTrendsAboveTheEvergreenBestSeller() {
    var script = Script()
    for day in Int64(0)..<30 {
      for user in ["a", "b", "c"] { script.add(user + "\(day)", .view, "p6", day: day) }
    }
    for day in Int64(25)..<30 {
      for user in ["d", "e", "f"] { script.add(user + "\(day)", .view, "p8", day: day) }
    }
    let (model, data) = Self.model(script)
    #expect(Self.top(model, data, user: "nobody", .trending).first == "p8")
    #expect(Self.top(model, data, user: "nobody", .popularity).first == "p6")
  }

  @Test func aConsumableComesBackWhenDueAndOtherPurchasesDoNot() {
    var script = Script()
    // Coffee is bought again every 10 days (22 repeats tell the cycle); books are bought once.
    for user in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "w"] {
      for cycle in Int64(0)..<3 { script.add(user, .purchase, "p7", day: cycle * 10) }
    }
    script.add("w", .purchase, "p4", day: 20)
    for user in ["a", "b", "c"] { script.add(user, .purchase, "p4", day: 29) }
    script.add("q", .view, "p1", day: 30)
    let (model, data) = Self.model(script)
    let rebuy = Self.top(model, data, user: "w", .rebuy)
    #expect(rebuy == ["p7"])
    let shown = Self.top(model, data, user: "w", nil, limit: 10)
    #expect(shown.contains("p7") && !shown.contains("p4"))
    // Eight repeats are too few to tell a cycle: nothing is due.
    var few = Script()
    for user in ["a", "b", "c", "w"] {
      for cycle in Int64(0)..<3 { few.add(user, .purchase, "p7", day: cycle * 10) }
    }
    few.add("q", .view, "p1", day: 30)
    let (sparse, sparseData) = Self.model(few)
    #expect(Self.top(sparse, sparseData, user: "w", .rebuy).isEmpty)
  }

  @Test func seasonalFindsWhatSoldInTheWeeksAheadAYearBefore() {
    var script = Script()
    // A year before the last event, books sold in the two weeks that followed; toys before.
    for day in Int64(1)..<10 { script.add("a\(day)", .purchase, "p5", day: day) }
    for day in Int64(300)..<330 { script.add("b\(day)", .purchase, "p6", day: day) }
    script.add("s", .view, "p4", day: 365)
    let (model, data) = Self.model(script)
    #expect(Self.top(model, data, user: "s", .seasonal) == ["p5"])
    // Without a year of events, seasonal has nothing to say.
    var recent = Script()
    for day in Int64(300)..<330 { recent.add("b\(day)", .purchase, "p6", day: day) }
    let (short, shortData) = Self.model(recent)
    #expect(Self.top(short, shortData, user: "b301", .seasonal).isEmpty)
  }

  @Test func bestsellersAreTheTopTenthOfTheirCategoryByRecentPurchases() {
    var script = Script()
    // Books: p4 bought 5 times lately, p5 3 times, p9 once; p4 was bought more long ago too.
    for user in ["a", "b", "c", "d", "e"] { script.add(user, .purchase, "p4", day: 50) }
    for user in ["a", "b", "c"] { script.add(user, .purchase, "p5", day: 55) }
    script.add("a", .purchase, "p9", day: 56)
    for user in ["f", "g", "h", "i", "j", "k"] { script.add(user, .purchase, "p9", day: 1) }
    script.add("t", .purchase, "p6", day: 58)
    let (model, data) = Self.model(script)
    let names = Set(model.bestsellers.map { data.itemName($0) })
    // At least one per category: p4 for books (p9's sales are older than 30 days), p6 for toys.
    #expect(names == ["p4", "p6"])
  }

  @Test func theSameEventsGiveTheSameRecommendations() {
    var script = Script()
    var random = SplitMix(state: 5)
    for index in 0..<2_000 {
      let kinds: [ShopperEvent.Kind] = [.view, .view, .view, .cart, .purchase]
      script.add(
        "u\(random.next() % 50)", kinds[Int(random.next() % 5)], "p\(1 + random.next() % 9)",
        day: Int64(index / 80), minute: Int64(index % 80))
    }
    let (first, data) = Self.model(script)
    let (second, _) = Self.model(script)
    for user in 0..<50 {
      #expect(
        Self.top(first, data, user: "u\(user)", nil, limit: 5)
          == Self.top(second, data, user: "u\(user)", nil, limit: 5))
    }
  }
}

/// SplitMix64, for seeded test data.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension Interactions {
  /// The product id of an item, for readable expectations.
  func itemName(_ item: Int32) -> String {
    let key = items[Int(item)]
    return StrategyTests.catalog.first { EventHistory.productKey($0.id) == key }?.id ?? "?"
  }
}
