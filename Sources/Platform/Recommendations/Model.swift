import Analytics
import Foundation

/// What `mkt recs train` learns from the events and the catalog: per product its popularity,
/// trend, neighbours and complements; per category its best sellers and re-buy cycle; per user
/// their recent products, categories and purchases.
struct Model {
  /// Neighbour lists: for item `i`, `targets[starts[i]..<starts[i + 1]]` with their scores.
  struct Lists {
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
  struct Profile {
    /// Products with their time-decayed interest (views 1, carts 3, purchases 5).
    var recent: [(item: Int32, weight: Float)] = []
    /// Products carted or bought, with their decayed weight: what cross-sell starts from.
    var baskets: [(item: Int32, weight: Float)] = []
    /// Categories with their decayed interest.
    var categories: [(category: Int32, weight: Float)] = []
    /// Products bought: the last time and how often.
    var purchases: [(item: Int32, last: Int64, count: Int32)] = []
    var country: Int64 = 0
  }

  /// A ranked list of items with their scores, best first.
  typealias Head = [(item: Int32, score: Float)]

  /// Per item (dense index): its category and brand (-1: none).
  var category: [Int32]
  var brand: [Int32]
  var categoryNames: [String]
  /// The most popular items (time-decayed weighted events), the head only.
  var popular: Head
  /// The items rising most against their own earlier rate, the head only.
  var trending: Head
  /// The items most in demand in the weeks ahead a year before, the head only (empty without a
  /// year of events).
  var seasonal: Head
  /// Per category, its most popular items, the head only.
  var categoryHeads: [Head]
  var similar: Lists
  var complements: Lists
  /// Per category, the typical days between two purchases of one product by one user (0: not
  /// a consumable).
  var rebuyDays: [Float]
  var userIndex: [Int64: Int32]
  var profiles: [Profile]
  /// The time the model was trained up to (seconds since 1970).
  var end: Int64

  func profile(of user: Int64) -> Profile? {
    userIndex[user].map { profiles[Int($0)] }
  }
}
