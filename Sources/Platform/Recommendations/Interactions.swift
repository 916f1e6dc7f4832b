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
  var starts: [Int] = [0]
  var item: [Int32] = []
  var ts: [Int64] = []
  var kind: [ShopperEvent.Kind] = []
  var session: [Int64] = []
  /// The country of each user's last event.
  var country: [Int64] = []
  /// The latest event time met.
  var end: Int64 = 0
  /// Each event's user, until ``group()`` sorts the events by it.
  private var user: [Int32] = []
  /// Each user's latest event time, for their country.
  private var latest: [Int64] = []

  /// The events of `events`, in any order.
  init(_ events: [ShopperEvent]) {
    for event in events { append(event) }
    group()
  }

  private init() {}

  /// Adds one event (before ``group()``).
  private mutating func append(_ event: ShopperEvent) {
    let index = Self.index(of: event.user, in: &users, &userIndex)
    user.append(index)
    if Int(index) == country.count {
      country.append(event.country)
      latest.append(event.ts)
    } else if event.ts >= latest[Int(index)] {
      country[Int(index)] = event.country
      latest[Int(index)] = event.ts
    }
    item.append(Self.index(of: event.product, in: &items, &itemIndex))
    ts.append(event.ts)
    kind.append(event.kind)
    session.append(event.session)
    end = max(end, event.ts)
  }

  /// Sorts the events by user, then time, and notes where each user's start: a counting sort
  /// by user, each user's range sorted by time, then each column permuted once.
  private mutating func group() {
    var counts = [Int](repeating: 0, count: users.count + 1)
    for user in user { counts[Int(user) + 1] += 1 }
    for index in counts.indices.dropFirst() { counts[index] += counts[index - 1] }
    starts = counts
    var order = [Int](repeating: 0, count: user.count)
    var next = counts
    for (position, user) in user.enumerated() {
      order[next[Int(user)]] = position
      next[Int(user)] += 1
    }
    for user in users.indices {
      order[starts[user]..<starts[user + 1]].sort { (ts[$0], $0) < (ts[$1], $1) }
    }
    item = order.map { item[$0] }
    ts = order.map { ts[$0] }
    kind = order.map { kind[$0] }
    session = order.map { session[$0] }
    user = []
    latest = []
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

  /// Reads the stored events, straight into the grouped arrays.
  ///
  /// Those from `since` and before `until` (seconds), and of `users`, when given;
  /// `progress` hears the count every 100,000 events.
  static func load(
    _ db: Database, since: Int64? = nil, until: Int64? = nil, users: Set<Int64>? = nil,
    progress: ((Int) -> Void)? = nil
  ) throws -> Interactions {
    var data = Interactions()
    if let days = try EventHistory.days(db) {
      let first = max(days.lowerBound, (since ?? Int64.min / 2) / 86_400 - 1)
      guard first <= days.upperBound else { return data }
      try EventHistory.each(db, days: first...days.upperBound) { event in
        if let since, event.ts < since { return }
        if let until, event.ts >= until { return }
        if let users, !users.contains(event.user) { return }
        data.append(event)
        if data.item.count % 100_000 == 0 { progress?(data.item.count) }
      }
    }
    data.group()
    return data
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
