// In-process search latency over a catalog already imported into a store:
//   swift run -c release SearchLatency DB QUERIES [ROUNDS]
// Each of the queries (gen.py queries: realistic, with typos) runs with brand, category and
// price facets and the top 20 hits; then `suggest` for each query's first word, cut to 3-6
// characters. Prints p50/p95/p99 in milliseconds. The first round warms the caches (the
// vocabulary, the per-product columns, each word's postings, SQLite's pages) and is reported
// on its own line.
import Foundation
import Search
import Store

@main
struct SearchLatency {
  static func main() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 3 else {
      print("usage: SearchLatency DB QUERIES [ROUNDS]")
      exit(64)
    }
    let store = try Store.open(path: arguments[1])
    let queries = try String(contentsOfFile: arguments[2], encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    let search = SearchService(store: store)

    var searchTimes: [Double] = []
    var firstRound: [Double] = []
    var suggestTimes: [Double] = []
    var slowest: [(Double, String, Int)] = []
    var totalHits = 0
    var corrected = 0
    for round in 0...rounds {
      for query in queries {
        var request = SearchRequest(text: query)
        request.facets = [.brand, .category, .price]
        request.perPage = 20
        let start = ContinuousClock.now
        let result = try await search.search(request)
        let elapsed = ContinuousClock.now - start
        if round > 0 {
          searchTimes.append(Double(elapsed / .microseconds(1)) / 1000)
          slowest.append((searchTimes.last ?? 0, query, result.total))
        } else {
          firstRound.append(Double(elapsed / .microseconds(1)) / 1000)
          totalHits += result.total
          corrected += result.corrections.isEmpty ? 0 : 1
        }
        let word = query.split(separator: " ").first.map(String.init) ?? query
        let prefix = String(word.prefix(max(3, min(6, word.count - 1))))
        let started = ContinuousClock.now
        _ = try await search.suggest(prefix)
        if round > 0 {
          suggestTimes.append(Double((ContinuousClock.now - started) / .microseconds(1)) / 1000)
        }
      }
    }
    func percentiles(_ values: [Double]) -> String {
      let sorted = values.sorted()
      func at(_ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
      }
      return String(
        format: "p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms", at(0.5), at(0.95), at(0.99),
        sorted.last ?? 0)
    }
    print(
      "queries: \(queries.count) x \(rounds) rounds; hits per query (mean): \(totalHits / max(1, queries.count)); corrected: \(corrected)"
    )
    print("search + facets (brand, category, price), top 20: " + percentiles(searchTimes))
    print("  first round (cold: columns loaded, each word's postings read once): " + percentiles(firstRound))
    print("suggest: " + percentiles(suggestTimes))
    if ProcessInfo.processInfo.environment["SLOWEST"] != nil {
      for (time, query, hits) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(12) {
        print(String(format: "%8.2f ms %7d hits  %@", time, hits, query))
      }
    }
  }
}
