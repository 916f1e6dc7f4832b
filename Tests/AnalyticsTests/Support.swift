import Foundation
import GRDB
import Store

/// A directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "mkt-analytics-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Writes `text` to `name` and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    return file(name)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A deterministic random number generator (SplitMix64), so a failing case can be replayed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// One generated event, and its JSON line.
struct TestEvent {
  var ts: Int64
  var type: String
  var user: String
  var session: String
  var product: String?
  var query: String?
  var price: String?
  var currency: String?
  var country: String
  var eventID: String?
  var results: Int?

  var day: Int64 { ts / 86_400 }

  var json: String {
    var fields = [
      "\"ts\":\"\(Self.iso(ts))\"", "\"type\":\"\(type)\"", "\"user_id\":\"\(user)\"",
      "\"session_id\":\"\(session)\"", "\"country\":\"\(country)\"",
    ]
    if let product { fields.append("\"product_id\":\"\(product)\"") }
    if let query { fields.append("\"query\":\"\(query)\"") }
    if let price { fields.append("\"price\":\(price)") }
    if let currency { fields.append("\"currency\":\"\(currency)\"") }
    if let eventID { fields.append("\"event_id\":\"\(eventID)\"") }
    if let results { fields.append("\"results\":\(results)") }
    return "{" + fields.joined(separator: ",") + "}"
  }

  static func iso(_ ts: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(ts)))
  }

  /// `count` events over `days` days from 2025-03-01, from a few users with sessions, products
  /// and searches, in time order.
  static func random(count: Int, days: Int, seed: UInt64) -> [TestEvent] {
    var random = SeededRandom(state: seed)
    let start: Int64 = 1_740_787_200  // 2025-03-01T00:00:00Z
    let types = ["page_view", "product_view", "product_view", "add_to_cart", "purchase", "search"]
    let currencies = ["EUR", "EUR", "PLN", "SEK"]
    var events: [TestEvent] = []
    for index in 0..<count {
      let ts = start + Int64.random(in: 0..<Int64(days) * 86_400, using: &random)
      let user = "u\(Int.random(in: 0..<40, using: &random))"
      let type = types.randomElement(using: &random) ?? "page_view"
      var event = TestEvent(
        ts: ts, type: type, user: user,
        session: "\(user)-s\(Int.random(in: 0..<3, using: &random))",
        country: ["DE", "FR", "PL", "US"].randomElement(using: &random) ?? "DE")
      if ["product_view", "add_to_cart", "purchase"].contains(type) {
        event.product = "P\(Int.random(in: 0..<25, using: &random))"
        event.price =
          "\(Int.random(in: 1..<500, using: &random)).\(Int.random(in: 10..<99, using: &random))"
        event.currency = currencies.randomElement(using: &random)
      }
      if type == "search" {
        event.query = ["rain jacket", "Rain  Jacket", "wool socks", "kettle"].randomElement(
          using: &random)
        event.results = Int.random(in: 0..<3, using: &random)
      }
      if Bool.random(using: &random) { event.eventID = "e\(index)" }
      events.append(event)
    }
    return events.sorted { $0.ts < $1.ts }
  }
}
