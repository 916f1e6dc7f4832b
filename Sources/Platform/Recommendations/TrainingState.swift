import Foundation
import GRDB

/// What a training keeps beside the model so that the next one can add the events that came
/// after it, instead of reading them all again (`recs_model` `state`).
///
/// Each item's decayed popularity is kept at the model's end (a later end scales it by one
/// factor); the co-visit and basket totals are plain sums; the neighbour lists keep their scores
/// only, from which these totals give back each pair's count.
struct TrainingState: Sendable {
  /// Product keys and brand names by the model's item and brand index.
  var keys: [Int64] = []
  var brands: [String] = []
  /// Per item: popularity at the model's end, co-visit weight, sessions that carted or bought
  /// it, sessions that met it; and the sessions counted.
  var popularity: [Float] = []
  var visits: [Float] = []
  var baskets: [Float] = []
  var seen: [Float] = []
  var sessions: Float = 0
  /// Per category, first purchases and the gaps of re-purchases (re-buy cycles).
  var rebuys = Model.Rebuys(categories: 0)
  /// The first event time learned from, when training was given one (`--since`).
  var since: Int64?
  /// The product events stored per day when the model was trained.
  var days: [Int64: Int] = [:]

  func packed() -> Data {
    Model.packed { packer in
      packer.put(UInt32(keys.count))
      for key in keys { packer.put(key) }
      packer.put(UInt32(brands.count))
      for brand in brands { packer.put(brand) }
      for array in [popularity, visits, baskets, seen] {
        packer.put(UInt32(array.count))
        for value in array { packer.put(value) }
      }
      packer.put(sessions)
      packer.put(UInt32(rebuys.firsts.count))
      for (firsts, gaps) in zip(rebuys.firsts, rebuys.gaps) {
        packer.put(firsts)
        packer.put(UInt32(gaps.count))
        for gap in gaps { packer.put(gap) }
      }
      packer.put(since ?? Int64.min)
      packer.put(UInt32(days.count))
      for (day, count) in days.sorted(by: { $0.key < $1.key }) {
        packer.put(day)
        packer.put(Int64(count))
      }
    }
  }

  /// The state packed in `data`; `nil` when it does not read back whole.
  init?(packed data: Data) {
    var reader = Unpacker(data)
    keys = (0..<reader.count(width: 8)).map { _ in reader.get(Int64.self) }
    brands = (0..<reader.count(width: 4)).map { _ in reader.string() }
    var arrays: [[Float]] = []
    for _ in 0..<4 { arrays.append((0..<reader.count(width: 4)).map { _ in reader.float() }) }
    (popularity, visits, baskets, seen) = (arrays[0], arrays[1], arrays[2], arrays[3])
    sessions = reader.float()
    rebuys = Model.Rebuys(categories: reader.count(width: 8))
    for category in rebuys.firsts.indices {
      rebuys.firsts[category] = reader.float()
      rebuys.gaps[category] = (0..<reader.count(width: 4)).map { _ in reader.float() }
    }
    let since = reader.get(Int64.self)
    self.since = since == Int64.min ? nil : since
    for _ in 0..<reader.count(width: 16) {
      days[reader.get(Int64.self)] = Int(reader.get(Int64.self))
    }
    guard reader.offset == data.count, arrays.allSatisfy({ $0.count == keys.count }) else {
      return nil
    }
  }

  init(
    keys: [Int64], brands: [String], popularity: [Float], visits: [Float], baskets: [Float],
    seen: [Float], sessions: Float, rebuys: Model.Rebuys
  ) {
    (self.keys, self.brands, self.popularity, self.visits) = (keys, brands, popularity, visits)
    (self.baskets, self.seen, self.sessions, self.rebuys) = (baskets, seen, sessions, rebuys)
  }

  /// The stored model's state, or `nil` when none is stored or it was written by another
  /// layout.
  static func stored(_ db: Database) throws -> TrainingState? {
    let format = try Data.fetchOne(
      db, sql: "SELECT value FROM recs_model WHERE name = 'format'")
    guard format.map({ String(decoding: $0, as: UTF8.self) }) == Model.format,
      let data = try Data.fetchOne(db, sql: "SELECT value FROM recs_model WHERE name = 'state'")
    else { return nil }
    return TrainingState(packed: data)
  }
}

extension Packer {
  mutating func put(_ text: String) {
    put(UInt32(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }
}

extension Unpacker {
  mutating func string() -> String {
    let count = min(Int(get(UInt32.self)), data.count - offset)
    defer { offset += count }
    return String(
      decoding: data[(data.startIndex + offset)..<(data.startIndex + offset + count)], as: UTF8.self
    )
  }
}

extension Model.Profile {
  /// The profile as a training at `end` would see it: every weight decayed from the time it was
  /// made (``asOf``) to `end`.
  func aged(to end: Int64, _ settings: TrainingSettings) -> Model.Profile {
    guard end > asOf else { return self }
    let product = Model.decay(asOf, to: end, settings.profileHalfLifeDays)
    let affinity = Model.decay(asOf, to: end, settings.affinityHalfLifeDays)
    var profile = self
    profile.recent = recent.map { ($0.item, $0.weight * product) }
    profile.baskets = baskets.map { ($0.item, $0.weight * product) }
    profile.categories = categories.map { ($0.category, $0.weight * affinity) }
    profile.categoryTotal = categoryTotal * affinity
    profile.brands = brands.map { ($0.brand, $0.weight * affinity) }
    profile.asOf = end
    return profile
  }
}
