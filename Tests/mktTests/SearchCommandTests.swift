import Foundation
import Testing

@Suite struct SearchCommandTests {
  let workspace: Workspace
  let examples = packageRoot + "/examples"

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples + "/merchants.csv")
    _ = try workspace.run(
      "import", examples + "/feeds/kuechenwelt-de.xml", "--merchant", "kuechenwelt-de",
      "--language", "de")
    _ = try workspace.run(
      "import", examples + "/feeds/wollwerk-de-shopify.csv", "--merchant", "wollwerk-de",
      "--currency", "EUR", "--shop-url", "https://wollwerk.example")
  }

  @Test func aTypoIsCorrectedAndFacetsCounted() throws {
    let run = try workspace.run("search", "merinno", "--facets", "brand,price")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("showing results for merino"))
    #expect(run.stdout.contains("brand: Wollwerk Allgäu (3)"))
    #expect(run.stdout.contains("3 products"))
  }

  @Test func jsonHasHitsFacetsTotalAndTiming() throws {
    let run = try workspace.run(
      "search", "pullover", "--facets", "availability", "--highlight", "--json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["total"] as? Int == 3)
    #expect(object["took_ms"] is Double)
    let hits = try #require(object["hits"] as? [[String: Any]])
    #expect((hits.first?["title_highlight"] as? String)?.contains("<em>Pullover</em>") == true)
  }

  @Test func badArgumentsExit64NamingTheValidValues() throws {
    let facet = try workspace.run("search", "x", "--facets", "colour")
    #expect(facet.status == 64)
    #expect(facet.stderr.contains("valid: brand, category, price, availability, merchant"))
    let sort = try workspace.run("search", "x", "--sort", "popularity")
    #expect(sort.status == 64)
    let range = try workspace.run("search", "x", "--price-min", "50", "--price-max", "10")
    #expect(range.status == 64)
    #expect(range.stderr.contains("price range is empty"))
    #expect(try workspace.run("search", "x", "--per-page", "500").status == 64)
  }

  @Test func operatorsTypedByUsersNeverReachSQLite() throws {
    for query in ["\"", "NEAR(", "a:b", "*", "-", "AND OR NOT", "'; DROP TABLE product; --"] {
      let run = try workspace.run("search", query)
      #expect(run.status == 0, "\(query): \(run.stderr)")
      #expect(!run.stderr.contains("fts5"), "\(query)")
    }
  }

  @Test func suggestReindexAndSynonyms() throws {
    let suggest = try workspace.run("suggest", "pull", "--csv")
    #expect(suggest.stdout.contains("pullover,3"))
    let reindex = try workspace.run("search", "reindex")
    #expect(reindex.status == 0)
    #expect(reindex.stdout.contains("indexed 9 products"))
    try workspace.write("synonyms.txt", "pulli, pullover\n")
    #expect(
      try workspace.run("search", "synonyms", "load", "synonyms.txt", "--language", "de").status
        == 0)
    #expect(try workspace.run("search", "pulli").stdout.contains("3 products"))
    try workspace.write("bad.txt", "lonely\n")
    let bad = try workspace.run("search", "synonyms", "load", "bad.txt", "--language", "de")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("bad.txt:1"))
  }
}
