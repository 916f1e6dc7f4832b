import Analytics
import Catalog
import Foundation
import GRDB
import MktCore
import Store

/// A training that adds the events stored after the model's end to it, reading those events
/// (and 3 days before them, for the pairs and sessions they complete) rather than all of them.
///
/// What it computes as a full training would: popularity (the stored one decayed to the new end,
/// plus the new events), trends, seasons and best sellers (from the day rollups), the categories'
/// shares and heads, the co-visit and basket totals, and the profiles of the shoppers who came
/// back (their stored profile decayed, plus their new events). What it approximates: a product's
/// neighbour lists are updated only where the new events made pairs with it (each kept pair's
/// count is recovered from its score, the new counts added, all rescored), pairs below a list's
/// top 50 are not remembered, and a profile keeps its top products only, so one that fell out of
/// them comes back with its new events alone.
struct Increment {
  let settings: TrainingSettings
  /// When the training happens (the model's `trainedAt`).
  let now: Date

  /// The outcome: the model's new description, or why it must be trained in full.
  enum Outcome {
    case trained(ModelInfo)
    case full(because: String)
  }

  func run(_ db: Database, _ state: TrainingState, progress: ((Int) -> Void)?) throws -> Outcome {
    guard
      let metaData = try Data.fetchOne(
        db, sql: "SELECT value FROM recs_model WHERE name = 'meta'"),
      let previous = try? JSONDecoder().decode(ModelInfo.self, from: metaData),
      let stored = try Model.shared(db)
    else { return .full(because: "the stored model cannot be read") }
    let oldEnd = stored.end
    // Late events folded into a day the model learned: only a full training sees them.
    let perDay = try EventHistory.productEventsPerDay(db)
    let firstDay = state.since.map { $0 / 86_400 } ?? Int64.min
    if let reason = Self.lateEvents(perDay, state, from: firstDay, before: oldEnd) {
      return .full(because: reason)
    }
    // The shoppers with new events, then their events with the days before (the others'
    // make no new pair, session or profile).
    let (returningKeys, added) = try Self.newEvents(db, after: oldEnd)
    guard added > 0 else {
      var info = previous
      info.added = 0
      info.fullBecause = nil
      return .trained(info)
    }
    var data = try Interactions.load(
      db, since: oldEnd - settings.windowSeconds, users: returningKeys
    ) { progress?($0) }
    let items = Self.appendItems(&data, to: state.keys)
    let end = max(oldEnd, data.end)
    data.end = end
    let (catalogue, names) = try Self.catalogue(db, stored, state, adding: items.new)
    let count = items.keys.count

    // Popularity, decayed to the new end; trends, seasons and best sellers from the rollups.
    let popularity = decayedPopularity(data, state, after: oldEnd, at: end)
    let windows = try dayWindows(db, end: end, count: count, from: firstDay, items.index)
    // Neighbours: the new pairs merged into the stored lists of their source products.
    let pairs = try mergedPairs(db, data, state, after: oldEnd)
    // The profiles of the shoppers with new events, and the re-purchases among them.
    let shoppers = try returningShoppers(db, data, state, catalogue, after: oldEnd)
    var model = Model.assemble(
      popularity: popularity, windows: windows, catalogue: catalogue,
      rebuy: shoppers.rebuys.cycles(settings), settings: settings)
    pairs.addLists(to: &model, settings)

    var info = previous
    info.trainedAt = UTCTime.iso(now)
    info.until = UTCTime.iso(Date(timeIntervalSince1970: TimeInterval(end)))
    info.events += added
    info.users += shoppers.profiles.count - shoppers.stored
    info.products = count
    info.categories = catalogue.categories.count
    info.consumables = ModelInfo.consumables(model.categories)
    info.added = added
    info.fullBecause = nil
    model.state = Self.nextState(
      state, keys: items.keys, brands: catalogue.brands, popularity: popularity, pairs: pairs,
      rebuys: shoppers.rebuys, days: perDay)
    try model.saveShared(db, info: info)
    try model.updateLists(db, pairs.sources.filter { Int($0) < state.keys.count }.sorted())
    // New products are written whether or not they made pairs (the rows name them).
    try model.saveItems(
      db,
      items.new.enumerated().map { offset, key in
        (item: Int32(state.keys.count + offset), key: key, product: names[key] ?? "")
      })
    try model.saveProfiles(db, shoppers.profiles)
    return .trained(info)
  }

  /// Why only a full training will do when events were stored late into a day the model
  /// learned (the first such day from `firstDay`); `nil` when none were.
  private static func lateEvents(
    _ perDay: [Int64: Int], _ state: TrainingState, from firstDay: Int64, before oldEnd: Int64
  ) -> String? {
    for (day, count) in perDay.sorted(by: { $0.key < $1.key })
    where day >= firstDay && day < oldEnd / 86_400 && state.days[day] != count {
      return "events were added to "
        + UTCTime.day(Date(timeIntervalSince1970: TimeInterval(day * 86_400)))
        + " after the model learned that day"
    }
    return nil
  }

  /// The keys of the shoppers with events after `oldEnd`, and how many such events there are.
  private static func newEvents(_ db: Database, after oldEnd: Int64) throws
    -> (users: Set<Int64>, count: Int)
  {
    var returningKeys = Set<Int64>()
    var added = 0
    if let days = try EventHistory.days(db), oldEnd / 86_400 <= days.upperBound {
      try EventHistory.each(db, days: (oldEnd / 86_400)...days.upperBound) { event in
        guard event.ts > oldEnd else { return }
        returningKeys.insert(event.user)
        added += 1
      }
    }
    return (returningKeys, added)
  }

  /// The model's item indexes for the events' products, new products appended: `data` is
  /// renumbered to them.
  ///
  /// Returns every product key by item index, the index of each key, and the keys appended.
  private static func appendItems(_ data: inout Interactions, to stored: [Int64])
    -> (keys: [Int64], index: [Int64: Int32], new: [Int64])
  {
    var keys = stored
    var keyIndex = [Int64: Int32](minimumCapacity: keys.count + data.items.count)
    for (index, key) in keys.enumerated() { keyIndex[key] = Int32(index) }
    var newKeys: [Int64] = []
    let remap = data.items.map { key in
      if let known = keyIndex[key] { return known }
      let index = Int32(keys.count)
      keys.append(key)
      newKeys.append(key)
      keyIndex[key] = index
      return index
    }
    data.item = data.item.map { remap[Int($0)] }
    data.items = keys
    data.itemIndex = [:]
    return (keys, keyIndex, newKeys)
  }

  /// The stored model's catalogue with the new products added, and the new products' ids by
  /// key.
  private static func catalogue(
    _ db: Database, _ stored: Model, _ state: TrainingState, adding newKeys: [Int64]
  ) throws -> (Catalogue, names: [Int64: String]) {
    let names = try EventHistory.productNames(db, keys: newKeys)
    var facts: [String: ProductFacts] = [:]
    try CatalogService.eachProduct(db, ids: Array(Set(names.values))) { facts[$0.id] = $0 }
    var catalogue = Catalogue(
      categories: stored.categories.map(\.name), category: stored.category,
      brands: state.brands, brand: stored.brand)
    catalogue.add(newKeys.map { names[$0].flatMap { facts[$0] } })
    return (catalogue, names)
  }

  /// `array` with zeros appended up to `count` values (the new products').
  private static func padded(_ array: [Float], to count: Int) -> [Float] {
    array + repeatElement(0, count: count - array.count)
  }

  /// Each item's popularity at `end`: the stored one decayed to it, plus the events after
  /// `oldEnd`.
  private func decayedPopularity(
    _ data: Interactions, _ state: TrainingState, after oldEnd: Int64, at end: Int64
  ) -> [Float] {
    let fade = Model.decay(oldEnd, to: end, settings.halfLifeDays)
    var popularity = Self.padded(state.popularity.map { $0 * fade }, to: data.items.count)
    for index in data.item.indices where data.ts[index] > oldEnd {
      popularity[Int(data.item[index])] +=
        data.kind[index].weight * Model.decay(data.ts[index], to: end, settings.halfLifeDays)
    }
    return popularity
  }

  /// The trending, seasonal and best-seller windows at `end`, counted from the day rollups
  /// (from `firstDay` on) of the products in `keyIndex`.
  private func dayWindows(
    _ db: Database, end: Int64, count: Int, from firstDay: Int64, _ keyIndex: [Int64: Int32]
  ) throws -> Windows {
    var windows = Windows(end: end, count: count, settings: settings)
    for days in windows.days {
      let from = max(days.lowerBound, firstDay)
      guard from <= days.upperBound else { continue }
      try EventHistory.productDays(db, days: from...days.upperBound) {
        day, product, views, carts, purchases in
        guard let item = keyIndex[product] else { return }
        windows.add(
          day: day, item: item, weight: Float(views + 3 * carts + 5 * purchases),
          purchases: Float(purchases))
      }
    }
    return windows
  }

  /// The new events' pairs merged into the stored lists of their source products: each kept
  /// pair's count is recovered from its score and the new counts added.
  private func mergedPairs(
    _ db: Database, _ data: Interactions, _ state: TrainingState, after oldEnd: Int64
  ) throws -> NeighbourPairs {
    let count = data.items.count
    let visits = Visits(data, after: oldEnd)
    let oldVisits = Self.padded(state.visits, to: count)
    let visitTotals = zip(oldVisits, visits.totals(count: count)).map { $0 + $1 }
    let oldSessions = SessionCounts(
      baskets: Self.padded(state.baskets, to: count), seen: Self.padded(state.seen, to: count),
      count: state.sessions)
    var sessions = oldSessions
    sessions.add(data, after: oldEnd)
    let coVisits = visits.pairs(settings, slice: 0, of: 1)
    let baskets = Model.basketPairs(data, slice: 0, of: 1, after: oldEnd)
    var sources = Set(coVisits.keys.map { Model.unpair($0).from })
    sources.formUnion(baskets.keys.map { Model.unpair($0).from })
    var similar: [Int32: [Int32: Float]] = [:]
    var complements: [Int32: [Int32: Float]] = [:]
    try SQLInList.chunks(sources.filter { Int($0) < state.keys.count }.sorted()) {
      marks, arguments in
      for row in try Row.fetchAll(
        db,
        sql: "SELECT item, similar, complements FROM recs_item WHERE item IN (\(marks))",
        arguments: arguments)
      {
        let item: Int32 = row["item"]
        var lists = (Unpacker(row["similar"]), Unpacker(row["complements"]))
        for (target, score) in lists.0.head() {
          similar[item, default: [:]][target] = Model.coVisitWeight(
            score, oldVisits[Int(item)], oldVisits[Int(target)], settings)
        }
        for (target, score) in lists.1.head() {
          complements[item, default: [:]][target] = oldSessions.pairs(
            behind: score, item, settings)
        }
      }
    }
    for (key, weight) in coVisits {
      let (from, to) = Model.unpair(key)
      similar[from, default: [:]][to, default: 0] += weight
    }
    for (key, count) in baskets {
      let (from, to) = Model.unpair(key)
      complements[from, default: [:]][to, default: 0] += count
    }
    return NeighbourPairs(
      visitTotals: visitTotals, sessions: sessions, sources: sources, similar: similar,
      complements: complements)
  }

  /// The shoppers with new events: their profiles (the stored one aged, with the new events
  /// added), how many had one stored, and the re-purchases with theirs added.
  private func returningShoppers(
    _ db: Database, _ data: Interactions, _ state: TrainingState, _ catalogue: Catalogue,
    after oldEnd: Int64
  ) throws -> Shoppers {
    let returning = data.users.indices.filter { user in
      data.events(of: user).contains { data.ts[$0] > oldEnd }
    }
    var storedProfiles: [Int64: Model.Profile] = [:]
    try SQLInList.chunks(returning.map { data.users[$0] }) { marks, arguments in
      for row in try Row.fetchAll(
        db, sql: "SELECT user, profile FROM recs_user WHERE user IN (\(marks))",
        arguments: arguments)
      {
        storedProfiles[row["user"]] = Model.unpack(row["profile"])
      }
    }
    var rebuys = state.rebuys
    for user in returning {
      var last = Dictionary(
        (storedProfiles[data.users[user]]?.purchases ?? []).map { ($0.item, $0.last) },
        uniquingKeysWith: max)
      for index in data.events(of: user)
      where data.kind[index] == .purchase && data.ts[index] > oldEnd {
        let item = data.item[index]
        rebuys.add(
          category: catalogue.category[Int(item)], ts: data.ts[index], previous: last[item])
        last[item] = data.ts[index]
      }
    }
    let profiles = returning.map { user in
      (
        key: data.users[user],
        profile: Model.profile(
          user, data, catalogue, settings, adding: storedProfiles[data.users[user]],
          after: oldEnd)
      )
    }
    return Shoppers(profiles: profiles, stored: storedProfiles.count, rebuys: rebuys)
  }

  /// The stored state with the increment's items, totals, re-buys and days.
  private static func nextState(
    _ state: TrainingState, keys: [Int64], brands: [String], popularity: [Float],
    pairs: NeighbourPairs, rebuys: Model.Rebuys, days: [Int64: Int]
  ) -> TrainingState {
    var next = state
    next.keys = keys
    next.brands = brands
    next.popularity = popularity
    next.visits = pairs.visitTotals
    next.baskets = pairs.sessions.baskets
    next.seen = pairs.sessions.seen
    next.sessions = pairs.sessions.count
    next.rebuys = rebuys
    next.days = days
    return next
  }
}

/// The neighbour pairs of an increment: the new pairs merged into the stored lists of their
/// source products, with the totals that score them.
private struct NeighbourPairs {
  /// Each item's co-visit weight, and the session counts, with the new events'.
  let visitTotals: [Float]
  let sessions: SessionCounts
  /// The products the new events made pairs from: the lists written again.
  let sources: Set<Int32>
  /// Per source, each target's co-visit weight and basket count.
  let similar: [Int32: [Int32: Float]]
  let complements: [Int32: [Int32: Float]]

  /// Adds the sources' lists to `model`, scored and cut to the best (a slice of its lists).
  func addLists(to model: inout Model, _ settings: TrainingSettings) {
    model.similar.index = [:]
    model.complements.index = [:]
    for source in sources.sorted() {
      model.similar.add(
        source,
        Model.best(
          (similar[source] ?? [:]).map { target, weight in
            (
              target,
              Model.coVisitScore(
                weight, visitTotals[Int(source)], visitTotals[Int(target)], settings)
            )
          }.filter { $0.1 > 0 }, settings.neighbours
        ).map { (item: $0.0, score: $0.1) })
      model.complements.add(
        source,
        Model.best(
          (complements[source] ?? [:]).map { target, count in
            (target, sessions.score(count, source, target, settings))
          }.filter { $0.1 > 0 }, settings.neighbours
        ).map { (item: $0.0, score: $0.1) })
    }
  }
}

/// The shoppers an increment met again: their new profiles, how many of them had one stored,
/// and the re-purchases with theirs added.
private struct Shoppers {
  let profiles: [(key: Int64, profile: Model.Profile)]
  let stored: Int
  let rebuys: Model.Rebuys
}
