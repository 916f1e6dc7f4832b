// In-process latency of recommendations over a store with a trained model (`mkt recs train`):
//   swift run -c release RecsLatency DB USERS PRODUCTS [ROUNDS]
// USERS and PRODUCTS are files of ids, one a line (recs_bench.py writes them: sampled event
// users, and products the model knows). Each round asks `forUser` for every user and
// `similar` for every product, as `mkt recs for-user` / `similar` do (stock filter, ratings and
// badges included), through one RecommendationService, as a long-lived process (`mkt serve`)
// holds it. The first round (cold: the model's shared part read) is reported on its own line.
import Foundation
import Recommendations
import Store

@main
struct RecsLatency {
  static func main() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 4 else {
      print("usage: RecsLatency DB USERS PRODUCTS [ROUNDS]")
      exit(64)
    }
    func ids(_ path: String) throws -> [String] {
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
    let store = try Store.open(path: arguments[1])
    let users = try ids(arguments[2])
    let products = try ids(arguments[3])
    let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 3 : 3
    let service = RecommendationService(store: store)

    var forUser: [Double] = []
    var similar: [Double] = []
    var cold: [Double] = []
    var shown = 0
    for round in 0...rounds {
      for user in users {
        let start = ContinuousClock.now
        let list = try await service.forUser(user)
        let elapsed = milliseconds(ContinuousClock.now - start)
        if round == 0 {
          cold.append(elapsed)
          shown += list.items.count
        } else {
          forUser.append(elapsed)
        }
      }
      for product in products {
        let start = ContinuousClock.now
        _ = try await service.similar(to: product)
        if round > 0 { similar.append(milliseconds(ContinuousClock.now - start)) }
      }
    }
    print(
      "users: \(users.count), products: \(products.count), \(rounds) rounds; "
        + "products shown per user (mean): \(shown / max(1, users.count))")
    print("for-user, top 10: " + percentiles(forUser))
    print("  first round (cold): " + percentiles(cold))
    print("similar, top 10: " + percentiles(similar))
  }

  static func milliseconds(_ duration: Duration) -> Double {
    Double(duration / .nanoseconds(1)) / 1_000_000
  }

  static func percentiles(_ values: [Double]) -> String {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return "no samples" }
    func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    return String(
      format: "p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms", at(0.5), at(0.95), at(0.99),
      sorted.last ?? 0)
  }
}
