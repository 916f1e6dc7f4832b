import Foundation
import Search
import Testing

/// The answers to gen.py's 200 queries (with brand, category and price facets, typos
/// corrected) over the fixture catalog stay exactly what they were when recorded: any change to
/// how search stores, loads or ranks must give the same hits, scores, totals, facets and
/// corrections.
@Suite struct SearchIdentityTests {
  static let golden = RankingTests.fixtures.appendingPathComponent("search-identity.txt")

  /// One line per query: the text, the total, the corrections, the hits with their scores
  /// (to 1e-9), the facets.
  static func answer(_ text: String, _ result: SearchResult) -> String {
    let corrections = result.corrections.map { "\($0.from)>\($0.to.joined(separator: "+"))" }
    let hits = result.hits.map { "\($0.merchantID)/\($0.id):" + String(format: "%.9f", $0.score) }
    let facets = result.facets.keys.sorted().map { name in
      name + "="
        + (result.facets[name] ?? []).map { "\($0.value):\($0.count)" }
        .joined(separator: ",")
    }
    return [
      text, String(result.total), corrections.joined(separator: " "),
      hits.joined(separator: " "), facets.joined(separator: " "),
    ].joined(separator: "\t")
  }

  @Test func theAnswersToTwoHundredQueriesAreUnchanged() async throws {
    let store = try await RankingTests.catalog(at: RankingTests.folder() + "/mkt.db")
    let search = SearchService(store: store)
    try await search.prepare(frequentWords: 40)
    let queries = try String(
      contentsOf: RankingTests.fixtures.appendingPathComponent("queries-200.txt"),
      encoding: .utf8
    ).split(separator: "\n").map(String.init)
    #expect(queries.count == 200)
    var lines: [String] = []
    for text in queries {
      var request = SearchRequest(text: text)
      request.facets = [.brand, .category, .price]
      lines.append(Self.answer(text, try await search.search(request)))
    }
    let actual = lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["MKT_RECORD_GOLDEN"] == "1" {
      try actual.write(to: Self.golden, atomically: true, encoding: .utf8)
      Issue.record("recorded \(Self.golden.lastPathComponent); run again without MKT_RECORD_GOLDEN")
      return
    }
    let expected = try String(contentsOf: Self.golden, encoding: .utf8)
    let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() where index >= wanted.count || wanted[index] != line {
      Issue.record(
        "query \(index + 1) answers differently:\n  now:  \(line)\n  was:  \(index < wanted.count ? String(wanted[index]) : "-")"
      )
    }
    #expect(actual == expected)
  }
}
