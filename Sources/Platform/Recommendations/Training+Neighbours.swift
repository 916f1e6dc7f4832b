import Analytics
import Foundation

extension Model {
  /// Item-item similarity from co-visits: two products met by one user within a few events and
  /// days count together (weighted by the weaker signal), normalised as a cosine and shrunk
  /// towards 0 for pairs met rarely.
  static func coVisits(_ data: Interactions, _ settings: TrainingSettings) -> Lists {
    // Each user's visits: consecutive events of one product count once, with their strongest
    // signal.
    var visits: [(item: Int32, ts: Int64, weight: Float)] = []
    var starts = [0]
    var totals = [Float](repeating: 0, count: data.items.count)
    for user in data.users.indices {
      var last: Int32 = -1
      for index in data.events(of: user) {
        let weight = data.kind[index].weight
        if data.item[index] == last {
          visits[visits.count - 1].weight = max(visits[visits.count - 1].weight, weight)
          continue
        }
        last = data.item[index]
        visits.append((data.item[index], data.ts[index], weight))
      }
      starts.append(visits.count)
    }
    for visit in visits { totals[Int(visit.item)] += visit.weight }
    // The pairs are counted for a slice of the source products at a time, so that one map of
    // a slice's pairs is held at once (a map of them all took gigabytes at 10M events).
    let slices = max(1, min(16, visits.count / 2_000_000 + 1))
    var perItem = [[(Int32, Float)]](repeating: [], count: data.items.count)
    for slice in 0..<slices {
      var pairs: [UInt64: Float] = [:]
      for user in data.users.indices {
        let range = starts[user]..<starts[user + 1]
        for position in range {
          let visit = visits[position]
          for other in visits[
            (position + 1)..<min(range.upperBound, position + 1 + settings.window)]
          {
            guard other.ts - visit.ts <= settings.windowSeconds else { break }
            guard other.item != visit.item else { continue }
            let weight = min(visit.weight, other.weight)
            if Int(visit.item) % slices == slice {
              pairs[Self.pair(visit.item, other.item), default: 0] += weight
            }
            if Int(other.item) % slices == slice {
              pairs[Self.pair(other.item, visit.item), default: 0] += weight
            }
          }
        }
      }
      Self.keep(pairs, in: &perItem, keep: settings.neighbours) { from, to, weight in
        weight / (totals[Int(from)] * totals[Int(to)]).squareRoot() * weight
          / (weight + settings.shrink)
      }
    }
    var lists = Lists()
    for list in perItem { lists.append(list) }
    return lists
  }

  /// "Bought together": a product carted or bought, then another viewed, carted or bought in
  /// the same session; scored by confidence shrunk as co-visits are (a pair seen once counts,
  /// less), kept where the lift is above 1.
  static func crossSells(_ data: Interactions, _ settings: TrainingSettings) -> Lists {
    // Each user's sessions: runs of their events with one session id.
    func eachSession(_ body: (Range<Int>) -> Void) {
      for user in data.users.indices {
        var start = data.starts[user]
        let end = data.starts[user + 1]
        while start < end {
          var stop = start
          while stop < end, data.session[stop] == data.session[start] { stop += 1 }
          body(start..<stop)
          start = stop
        }
      }
    }
    var baskets = [Float](repeating: 0, count: data.items.count)
    var seen = [Float](repeating: 0, count: data.items.count)
    var sessions: Float = 0
    eachSession { range in
      sessions += 1
      var met = Set<Int32>()
      var carted = Set<Int32>()
      for index in range {
        let item = data.item[index]
        if met.insert(item).inserted { seen[Int(item)] += 1 }
        if data.kind[index] != .view, carted.insert(item).inserted { baskets[Int(item)] += 1 }
      }
    }
    // As co-visits: the pairs of a slice of the source products at a time.
    let slices = max(1, min(16, data.item.count / 2_000_000 + 1))
    var perItem = [[(Int32, Float)]](repeating: [], count: data.items.count)
    for slice in 0..<slices {
      var pairs: [UInt64: Float] = [:]
      eachSession { range in
        var carted: [Int32] = []
        for index in range {
          let item = data.item[index]
          for source in carted where source != item && Int(source) % slices == slice {
            pairs[Self.pair(source, item), default: 0] += 1
          }
          if data.kind[index] != .view, !carted.contains(item) { carted.append(item) }
        }
      }
      Self.keep(pairs, in: &perItem, keep: settings.neighbours) { from, to, count in
        let confidence = count / baskets[Int(from)]
        let lift = confidence / (seen[Int(to)] / sessions)
        return lift > 1 ? confidence * count / (count + settings.shrink) : 0
      }
    }
    var lists = Lists()
    for list in perItem { lists.append(list) }
    return lists
  }

  private static func pair(_ from: Int32, _ to: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))
  }

  /// Sets the lists of the pairs' source items to their best `keep` targets by `score`.
  private static func keep(
    _ pairs: [UInt64: Float], in perItem: inout [[(Int32, Float)]], keep: Int,
    score: (Int32, Int32, Float) -> Float
  ) {
    for (key, value) in pairs {
      let from = Int32(bitPattern: UInt32(key >> 32))
      let to = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
      let scored = score(from, to, value)
      if scored > 0 { perItem[Int(from)].append((to, scored)) }
    }
    for index in perItem.indices where perItem[index].count > 1 {
      perItem[index] = Array(
        perItem[index].sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(keep))
    }
  }
}
