import Analytics
import Foundation
import GRDB

/// The stored product events of a training window, grouped by user in time order: what every
/// strategy learns from.
///
/// Users and products get dense indexes (`Int32`) in the order they are met; each user's events
/// are one range of the event arrays (compressed rows), sorted by time.
struct Interactions {
  /// Product keys by dense index.
  var items: [Int64] = []
  var itemIndex: [Int64: Int32] = [:]
  /// User keys by dense index.
  var users: [Int64] = []
  var userIndex: [Int64: Int32] = [:]
  /// Where each user's events start in the event arrays; `users.count + 1` entries.
  var starts: [Int] = []
  var item: [Int32] = []
  var ts: [Int64] = []
  var kind: [ShopperEvent.Kind] = []
  var session: [Int64] = []
  /// The country of each user's last event.
  var country: [Int64] = []
  /// The latest event time met.
  var end: Int64 = 0

  /// The events of `events` (any order) at or before `until`.
  init(_ events: [ShopperEvent]) {
    var perUser: [Int32] = []
    perUser.reserveCapacity(events.count)
    for event in events {
      perUser.append(Self.index(of: event.user, in: &users, &userIndex))
      end = max(end, event.ts)
    }
    // A counting sort by user, then each user's events by time.
    var counts = [Int](repeating: 0, count: users.count + 1)
    for user in perUser { counts[Int(user) + 1] += 1 }
    for index in 1..<counts.count { counts[index] += counts[index - 1] }
    starts = counts
    var order = [Int](repeating: 0, count: events.count)
    var next = counts
    for (position, user) in perUser.enumerated() {
      order[next[Int(user)]] = position
      next[Int(user)] += 1
    }
    for user in users.indices {
      order[starts[user]..<starts[user + 1]].sort {
        (events[$0].ts, $0) < (events[$1].ts, $1)
      }
    }
    item.reserveCapacity(events.count)
    ts.reserveCapacity(events.count)
    kind.reserveCapacity(events.count)
    session.reserveCapacity(events.count)
    country = [Int64](repeating: 0, count: users.count)
    for position in order {
      let event = events[position]
      item.append(Self.index(of: event.product, in: &items, &itemIndex))
      ts.append(event.ts)
      kind.append(event.kind)
      session.append(event.session)
      country[Int(perUser[position])] = event.country
    }
  }

  private static func index(of key: Int64, in keys: inout [Int64], _ index: inout [Int64: Int32])
    -> Int32
  {
    if let known = index[key] { return known }
    let next = Int32(keys.count)
    keys.append(key)
    index[key] = next
    return next
  }

  /// The range of `user`'s events.
  func events(of user: Int) -> Range<Int> { starts[user]..<starts[user + 1] }

  /// Reads the stored events up to `until` (seconds, exclusive), or all of them.
  static func load(_ db: Database, until: Int64? = nil) throws -> Interactions {
    guard let days = try EventHistory.days(db) else { return Interactions([]) }
    var events: [ShopperEvent] = []
    try EventHistory.each(db, days: days) { event in
      if let until, event.ts >= until { return }
      events.append(event)
    }
    return Interactions(events)
  }
}

extension ShopperEvent.Kind {
  /// How much an event says about a shopper's interest: a view 1, a cart 3, a purchase 5 (the
  /// confidences implicit ALS is usually given).
  var weight: Float {
    switch self {
    case .view: 1
    case .cart: 3
    case .purchase: 5
    }
  }
}
