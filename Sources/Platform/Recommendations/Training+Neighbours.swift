import Analytics
import Foundation

extension Model {
  /// Item-item similarity from co-visits, and each item's visit weight.
  ///
  /// Two products met by one user within a few events and days count together (weighted by the
  /// weaker signal), normalised as a cosine and shrunk towards 0 for pairs met rarely.
  static func coVisits(_ data: Interactions, _ settings: TrainingSettings) -> (Lists, [Float]) {
    let visits = Visits(data)
    let totals = visits.totals(count: data.items.count)
    // The pairs are counted for a slice of the source products at a time, so that one map of
    // a slice's pairs is held at once (a map of them all took gigabytes at 10M events).
    let slices = max(1, min(16, visits.all.count / 2_000_000 + 1))
    var perItem = [[(Int32, Float)]](repeating: [], count: data.items.count)
    for slice in 0..<slices {
      let pairs = visits.pairs(settings, slice: slice, of: slices)
      Self.keep(pairs, in: &perItem, keep: settings.neighbours) { from, to, weight in
        Self.coVisitScore(weight, totals[Int(from)], totals[Int(to)], settings)
      }
    }
    var lists = Lists()
    for list in perItem { lists.append(list) }
    return (lists, totals)
  }

  /// A co-visit pair's score from its weight and its items' visit weights.
  static func coVisitScore(
    _ weight: Float, _ from: Float, _ to: Float, _ settings: TrainingSettings
  )
    -> Float
  {
    weight / (from * to).squareRoot() * weight / (weight + settings.shrink)
  }

  /// The weight behind a co-visit score: `score = w² / (√(from·to) · (w + shrink))` solved
  /// for `w`.
  static func coVisitWeight(
    _ score: Float, _ from: Float, _ to: Float, _ settings: TrainingSettings
  ) -> Float {
    let k = Double(score) * Double(from * to).squareRoot()
    return Float((k + (k * k + 4 * k * Double(settings.shrink)).squareRoot()) / 2)
  }

  /// "Bought together" lists, and the session counts.
  ///
  /// A product carted or bought, then another viewed, carted or bought in the same session;
  /// scored by confidence shrunk as co-visits are (a pair seen once counts, less), kept where
  /// the lift is above 1.
  static func crossSells(_ data: Interactions, _ settings: TrainingSettings)
    -> (Lists, SessionCounts)
  {
    var counts = SessionCounts(count: data.items.count)
    counts.add(data)
    // As co-visits: the pairs of a slice of the source products at a time.
    let slices = max(1, min(16, data.item.count / 2_000_000 + 1))
    var perItem = [[(Int32, Float)]](repeating: [], count: data.items.count)
    for slice in 0..<slices {
      let pairs = Self.basketPairs(data, slice: slice, of: slices)
      Self.keep(pairs, in: &perItem, keep: settings.neighbours) { from, to, count in
        counts.score(count, from, to, settings)
      }
    }
    var lists = Lists()
    for list in perItem { lists.append(list) }
    return (lists, counts)
  }

  /// The (carted or bought product, product met after it in the session) pairs of `data`'s
  /// sessions whose source falls in `slice`, counting only pairs whose later event is after
  /// `after`.
  static func basketPairs(
    _ data: Interactions, slice: Int, of slices: Int, after: Int64 = Int64.min
  ) -> [UInt64: Float] {
    var pairs: [UInt64: Float] = [:]
    data.eachSession { range in
      var carted: [Int32] = []
      for index in range {
        let item = data.item[index]
        if data.ts[index] > after {
          for source in carted where source != item && Int(source) % slices == slice {
            pairs[Self.pair(source, item), default: 0] += 1
          }
        }
        if data.kind[index] != .view, !carted.contains(item) { carted.append(item) }
      }
    }
    return pairs
  }

  static func pair(_ from: Int32, _ to: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))
  }

  static func unpair(_ key: UInt64) -> (from: Int32, to: Int32) {
    (Int32(bitPattern: UInt32(key >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: key)))
  }

  /// Sets the lists of the pairs' source items to their best `keep` targets by `score`.
  private static func keep(
    _ pairs: [UInt64: Float], in perItem: inout [[(Int32, Float)]], keep: Int,
    score: (Int32, Int32, Float) -> Float
  ) {
    for (key, value) in pairs {
      let (from, to) = Self.unpair(key)
      let scored = score(from, to, value)
      if scored > 0 { perItem[Int(from)].append((to, scored)) }
    }
    for index in perItem.indices where perItem[index].count > 1 {
      perItem[index] = Self.best(perItem[index], keep)
    }
  }

  /// The best `keep` of a list by score (ties by target).
  static func best(_ list: [(Int32, Float)], _ keep: Int) -> [(Int32, Float)] {
    Array(list.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(keep))
  }
}

/// Each user's visits: consecutive events of one product count once, with their strongest
/// signal.
struct Visits {
  /// Each visit's product, first event time and weight; and its weight from its events up to
  /// `after` alone (0 for a visit that began after it).
  var all: [(item: Int32, ts: Int64, weight: Float, before: Float)] = []
  var starts = [0]

  /// The visits of `data`'s users; `after` is the end of the model the new events are added
  /// to (a visit that began before it may have grown since).
  init(_ data: Interactions, after: Int64 = Int64.min) {
    for user in data.users.indices {
      var last: Int32 = -1
      for index in data.events(of: user) {
        let weight = data.kind[index].weight
        let before = data.ts[index] <= after ? weight : 0
        if data.item[index] == last {
          all[all.count - 1].weight = max(all[all.count - 1].weight, weight)
          all[all.count - 1].before = max(all[all.count - 1].before, before)
          continue
        }
        last = data.item[index]
        all.append((data.item[index], data.ts[index], weight, before))
      }
      starts.append(all.count)
    }
  }

  /// What the visits add to each item's visit weight since `after`.
  func totals(count: Int) -> [Float] {
    var totals = [Float](repeating: 0, count: count)
    for visit in all { totals[Int(visit.item)] += visit.weight - visit.before }
    return totals
  }

  /// The co-visit pairs whose source item falls in `slice`, both ways, with what each pair's
  /// weight grew by since the visits' `after` (all of it when built without one).
  func pairs(_ settings: TrainingSettings, slice: Int, of slices: Int) -> [UInt64: Float] {
    var pairs: [UInt64: Float] = [:]
    for user in starts.indices.dropLast() {
      let range = starts[user]..<starts[user + 1]
      for position in range {
        let visit = all[position]
        for other in all[(position + 1)..<min(range.upperBound, position + 1 + settings.window)] {
          guard other.ts - visit.ts <= settings.windowSeconds else { break }
          guard other.item != visit.item else { continue }
          let weight = min(visit.weight, other.weight) - min(visit.before, other.before)
          guard weight > 0 else { continue }
          if Int(visit.item) % slices == slice {
            pairs[Model.pair(visit.item, other.item), default: 0] += weight
          }
          if Int(other.item) % slices == slice {
            pairs[Model.pair(other.item, visit.item), default: 0] += weight
          }
        }
      }
    }
    return pairs
  }
}

/// Per item, the sessions that carted or bought it and the sessions that met it, and the
/// sessions counted: what cross-sell's confidence and lift divide by.
struct SessionCounts {
  var baskets: [Float]
  var seen: [Float]
  var count: Float = 0

  init(count: Int) {
    baskets = Array(repeating: 0, count: count)
    seen = baskets
  }

  init(baskets: [Float], seen: [Float], count: Float) {
    (self.baskets, self.seen, self.count) = (baskets, seen, count)
  }

  /// Counts `data`'s sessions; an item is counted in a session where its first meeting (or
  /// cart) is after `after`, and a session where its first event is.
  mutating func add(_ data: Interactions, after: Int64 = Int64.min) {
    data.eachSession { range in
      if data.ts[range.lowerBound] > after { count += 1 }
      var met = Set<Int32>()
      var carted = Set<Int32>()
      for index in range {
        let item = data.item[index]
        let new = data.ts[index] > after
        if met.insert(item).inserted, new { seen[Int(item)] += 1 }
        if data.kind[index] != .view, carted.insert(item).inserted, new {
          baskets[Int(item)] += 1
        }
      }
    }
  }

  /// A cross-sell pair's score from its count: its confidence shrunk, where its lift is above 1.
  func score(_ pairs: Float, _ from: Int32, _ to: Int32, _ settings: TrainingSettings) -> Float {
    let confidence = pairs / baskets[Int(from)]
    let lift = confidence / (seen[Int(to)] / count)
    return lift > 1 ? confidence * pairs / (pairs + settings.shrink) : 0
  }

  /// The count behind a cross-sell score: `score = c² / (baskets · (c + shrink))` solved for
  /// `c`.
  func pairs(behind score: Float, _ from: Int32, _ settings: TrainingSettings) -> Float {
    let k = Double(score) * Double(baskets[Int(from)])
    return Float((k + (k * k + 4 * k * Double(settings.shrink)).squareRoot()) / 2)
  }
}

extension Interactions {
  /// Calls `body` with each user's sessions: runs of their events with one session id.
  func eachSession(_ body: (Range<Int>) -> Void) {
    for user in users.indices {
      var start = starts[user]
      let end = starts[user + 1]
      while start < end {
        var stop = start
        while stop < end, session[stop] == session[start] { stop += 1 }
        body(start..<stop)
        start = stop
      }
    }
  }
}
