import Analytics
import Foundation

/// What `mkt recs train` learns from the events and the catalog: per product its popularity,
/// trend, neighbours and complements; per category its best sellers and re-buy cycle; per user
/// their recent products, categories and purchases.
struct Model: Sendable {
  /// Neighbour lists: for item `i`, `targets[starts[i]..<starts[i + 1]]` with their scores.
  struct Lists: Sendable {
    var starts: [Int] = [0]
    var targets: [Int32] = []
    var scores: [Float] = []
    /// The ranges of the items loaded, when only some are (a stored model's slice).
    var index: [Int32: Range<Int>]?

    func of(_ item: Int32) -> Range<Int> {
      if let index { return index[item] ?? 0..<0 }
      let position = Int(item)
      guard position >= 0, position + 1 < starts.count else { return 0..<0 }
      return starts[position]..<starts[position + 1]
    }

    /// Appends the next item's list (items in order, from 0).
    mutating func append(_ list: [(Int32, Float)]) {
      for (target, score) in list {
        targets.append(target)
        scores.append(score)
      }
      starts.append(targets.count)
    }

    /// Adds one item's list to a slice.
    mutating func add(_ item: Int32, _ list: Head) {
      let start = targets.count
      for (target, score) in list {
        targets.append(target)
        scores.append(score)
      }
      index?[item] = start..<targets.count
    }
  }

  /// One user's signals, most recent first where it matters.
  struct Profile: Sendable {
    /// Products with their time-decayed interest (views 1, carts 3, purchases 5).
    var recent: [(item: Int32, weight: Float)] = []
    /// Products carted or bought, with their decayed weight: what cross-sell starts from.
    var baskets: [(item: Int32, weight: Float)] = []
    /// Categories with their decayed interest (the strongest), and the interest in all of them.
    var categories: [(category: Int32, weight: Float)] = []
    var categoryTotal: Float = 0
    /// Brands with their decayed interest (the strongest).
    var brands: [(brand: Int32, weight: Float)] = []
    /// Products bought: the last time and how often.
    var purchases: [(item: Int32, last: Int64, count: Int32)] = []
    var country: Int64 = 0
    /// The time the weights were decayed to (the end of the training that made them).
    var asOf: Int64 = 0
  }

  /// A ranked list of items with their scores, best first.
  typealias Head = [(item: Int32, score: Float)]

  /// Per item (dense index): its category and brand (-1: none).
  var category: [Int32]
  var brand: [Int32]
  /// Per category: its name, top-level category, share of all interest and of its top level's,
  /// and re-buy rate and cycle.
  var categories: [CategoryFacts]
  /// The items in the top tenth of their category by purchases over the last 30 days.
  var bestsellers: Set<Int32>
  /// The most popular items (time-decayed weighted events), the head only.
  var popular: Head
  /// The items rising most against their own earlier rate, the head only.
  var trending: Head
  /// The items most in demand in the weeks ahead a year before, the head only (empty without a
  /// year of events).
  var seasonal: Head
  /// Per category, its most popular items with their share of the category's interest, the
  /// head only.
  var categoryHeads: [Head]
  var similar: Lists
  var complements: Lists
  var userIndex: [Int64: Int32]
  var profiles: [Profile]
  /// The time the model was trained up to (seconds since 1970).
  var end: Int64
  /// What a later training adds to (made by training, not read with a stored model).
  var state: TrainingState? = nil

  func profile(of user: Int64) -> Profile? {
    userIndex[user].map { profiles[Int($0)] }
  }
}

/// What the model knows of a category.
struct CategoryFacts: Codable, Equatable, Sendable {
  var name: String
  /// The index of its top level (the path before the first " > ") among the model's tops.
  var top: Int32
  /// Its share of all (time-decayed) interest.
  var share: Float
  /// Its share of its top level's interest.
  var shareOfTop: Float
  /// The share of its buyers who bought a product again, and the median days between (0: not
  /// a consumable).
  var rebuyRate: Float
  var rebuyDays: Float

  enum CodingKeys: String, CodingKey {
    case name, top, share
    case shareOfTop = "share_of_top"
    case rebuyRate = "rebuy_rate"
    case rebuyDays = "rebuy_days"
  }
}
