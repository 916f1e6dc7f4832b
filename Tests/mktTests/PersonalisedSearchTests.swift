import Foundation
import Testing

/// `mkt search --user` (the top hits re-ranked by the shopper's affinity), `recs evaluate
/// --search`, and recommendations weighed per A/B variant (issue 17).
@Suite struct PersonalisedSearchTests {
  let workspace: Workspace

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv")
    _ = try workspace.run(
      "import", packageRoot + "/examples/feeds/acme-de.csv", "--merchant", "acme-de")
    // A coffee drinker looks at vacuum flasks, a tea maker at kettles; both are steel.
    var lines: [String] = []
    var ts = 1_740_787_200
    for (user, product) in [("kaffee", "ACME-1006"), ("tee", "ACME-1001")] {
      for kind in ["product_view", "product_view", "add_to_cart", "product_view"] {
        ts += 60
        lines.append(
          "{\"ts\":\(ts),\"type\":\"\(kind)\",\"user_id\":\"\(user)\","
            + "\"product_id\":\"\(product)\",\"country\":\"DE\"}")
      }
    }
    try workspace.write("events.jsonl", lines.joined(separator: "\n"))
    _ = try workspace.run("events", "ingest", workspace.file("events.jsonl"))
    _ = try workspace.run("recs", "train")
  }

  func first(_ arguments: String...) throws -> String? {
    let result = try workspace.run(["search", "edelstahl", "--json"] + arguments)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let hits = object?["hits"] as? [[String: Any]] ?? []
    #expect(hits.map { $0["rank"] as? Int } == Array(1...hits.count).map { $0 })
    return hits.first?["id"] as? String
  }

  @Test func eachShopperSeesTheirOwnFirst() throws {
    let plain = try workspace.run("search", "edelstahl", "--json")
    #expect(plain.stdout.contains("ACME-1001") && plain.stdout.contains("ACME-1006"))
    #expect(try first("--user", "kaffee") == "ACME-1006")
    #expect(try first("--user", "tee") == "ACME-1001")
  }

  @Test func aStrangerGetsThePlainOrderAndIsTold() throws {
    let plain = try first()
    let stranger = try workspace.run("search", "edelstahl", "--user", "nobody", "--json")
    #expect(stranger.stderr.contains("not personalised"))
    #expect(try first("--user", "nobody") == plain)
  }

  @Test func evaluateSearchComparesThePurchasesRanksPlainAndPersonalised() throws {
    // Without searches there is nothing to judge (65).
    let none = try workspace.run("recs", "evaluate", "--search")
    #expect(none.status == 65 && none.stderr.contains("no search"))
    // Ten days later each shopper searches "edelstahl" and buys their own product in the
    // same session: the plain order can put only one of the two first.
    var lines: [String] = []
    let later = 1_740_787_200 + 10 * 86_400
    for (index, (user, product)) in [("kaffee", "ACME-1006"), ("tee", "ACME-1001")].enumerated() {
      let ts = later + index * 600
      lines.append(
        "{\"ts\":\(ts),\"type\":\"search\",\"user_id\":\"\(user)\",\"session_id\":\"s\(index)\","
          + "\"query\":\"edelstahl\",\"country\":\"DE\"}")
      lines.append(
        "{\"ts\":\(ts + 60),\"type\":\"purchase\",\"user_id\":\"\(user)\",\"session_id\":\"s\(index)\","
          + "\"product_id\":\"\(product)\",\"price\":30,\"currency\":\"EUR\",\"country\":\"DE\"}")
    }
    try workspace.write("later.jsonl", lines.joined(separator: "\n"))
    _ = try workspace.run("events", "ingest", workspace.file("later.jsonl"))
    let result = try workspace.run("recs", "evaluate", "--search", "--k", "1", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let figures = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(figures["searches"] as? Int == 2 && figures["judged"] as? Int == 2)
    let plain = try #require(figures["plain"] as? [String: Any])
    let personalised = try #require(figures["personalised"] as? [String: Any])
    #expect(plain["hit_rate"] as? Double == 0.5)
    #expect(personalised["hit_rate"] as? Double == 1.0)
    #expect(figures["improved"] as? Int == 1 && figures["worsened"] as? Int == 0)
  }

  @Test func aVariantOfAnABTestRecommendsWithItsOwnWeights() throws {
    _ = try workspace.run(
      "ab", "create", "recs-blend", "--variants", "control,b", "--baseline", "0.1")
    let variant = try workspace.run("ab", "assign", "recs-blend", "kaffee").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(["control", "b"].contains(variant))
    let set = try workspace.run(
      "recs", "weights", "set", "--experiment", "recs-blend", "--variant", variant, "trending=1")
    #expect(set.status == 0, "\(set.stderr)")
    let list = try workspace.run(
      "recs", "for-user", "kaffee", "--experiment", "recs-blend", "--json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
    #expect(object["variant"] as? String == variant)
    let items = try #require(object["items"] as? [[String: Any]])
    #expect(!items.isEmpty)
    for item in items {
      #expect((item["strategies"] as? [String: Any]).map { Array($0.keys) } == ["trending"])
    }
    // The ensemble's weights are untouched, and listed beside the variant's.
    let shown = try workspace.run("recs", "weights", "show")
    #expect(shown.stdout.contains("collaborative 0.300"))
    #expect(shown.stdout.contains("variant \(variant) of experiment recs-blend"))
    // A variant the test lacks, or a test never created, is refused.
    let unknown = try workspace.run(
      "recs", "weights", "set", "--experiment", "recs-blend", "--variant", "z", "content=1")
    #expect(unknown.status == 64 && unknown.stderr.contains("its variants: control, b"))
    let never = try workspace.run("recs", "for-user", "kaffee", "--experiment", "nope")
    #expect(never.status != 0 && never.stderr.contains("nope"))
    _ = try workspace.run(
      "recs", "weights", "reset", "--experiment", "recs-blend", "--variant", variant)
    let after = try workspace.run("recs", "for-user", "kaffee", "--experiment", "recs-blend")
    #expect(after.status == 0 && !after.stdout.isEmpty)
    #expect(!(try workspace.run("recs", "weights", "show").stdout.contains("variant")))
  }
}
