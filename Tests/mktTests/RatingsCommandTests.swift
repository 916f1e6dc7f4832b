import Foundation
import Testing

/// `mkt ratings` and the badges `catalog show` prints (issue 17).
@Suite struct RatingsCommandTests {
  let workspace: Workspace
  let examples = packageRoot + "/examples"

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples + "/merchants.csv")
    _ = try workspace.run("import", examples + "/feeds/acme-de.csv", "--merchant", "acme-de")
  }

  @Test func aReviewFeedGivesRatingsScoresAndBadges() throws {
    let feed = examples + "/ratings/product-reviews.xml"
    let first = try workspace.run("ratings", "import", feed, "--errors", workspace.file("e.ndjson"))
    #expect(first.status == 0)
    #expect(first.stdout.contains("9 reviews: stored 8, unchanged 0, rejected 0"))
    #expect(first.stdout.contains("for products not in the catalog 1; 2 rated products"))
    let errors = try String(contentsOfFile: workspace.file("e.ndjson"), encoding: .utf8)
    #expect(errors.contains("\"rule\":\"unknown-product\"") && errors.contains("ACME-9999"))
    let again = try workspace.run("ratings", "import", feed)
    #expect(again.stdout.contains("stored 0, unchanged 8"))
    // ACME-1001: six reviews, 4.79 on average (5, 5, 4.5, 5, 5, 4.5 on 1–5 make 5, 5, 4.375, …
    // on 0–5); the mean of all eight is 4.375, so the score is (5 × 4.375 + 28.75) ÷ 11.
    let shown = try workspace.run("ratings", "show", "ACME-1001", "--json")
    let rating = try #require(
      try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    #expect(rating["reviews"] as? Int == 6)
    #expect(abs((rating["average"] as? Double ?? 0) - 28.75 / 6) < 1e-9)
    #expect(abs((rating["score"] as? Double ?? 0) - (5 * 4.375 + 28.75) / 11) < 1e-9)
    let product = try workspace.run("catalog", "show", "ACME-1001", "--merchant", "acme-de")
    #expect(product.stdout.contains("\"top-rated\"") && product.stdout.contains("\"new\""))
    // Two reviews are too few to be top-rated.
    let other = try workspace.run("catalog", "show", "ACME-1002", "--merchant", "acme-de")
    #expect(!other.stdout.contains("top-rated") && other.stdout.contains("\"reviews\" : 2"))
  }

  @Test func removingAMerchantLeavesSearchPreparedWithoutItsProducts() throws {
    #expect(try workspace.run("search", "acme", "--json").stdout.contains("ACME-1001"))
    #expect(try workspace.run("merchant", "remove", "acme-de").status == 0)
    let after = try workspace.run("search", "acme", "--json")
    #expect(after.status == 0 && !after.stderr.contains("saving search's"), "\(after.stderr)")
    #expect(!after.stdout.contains("ACME-1001"))
  }

  @Test func searchFiltersSortsAndShowsByImportedRatings() throws {
    _ = try workspace.run("ratings", "import", examples + "/ratings/product-reviews.xml")
    // The import saved search's columns with the ratings: the search has nothing to save.
    let first = try workspace.run("search", "acme")
    #expect(first.status == 0 && !first.stderr.contains("saving search's"), "\(first.stderr)")
    // ACME-1001 averages 4.79 from six reviews; ACME-1002 less, from two; the rest none.
    let rated = try workspace.run("search", "acme", "--min-rating", "4.5", "--json")
    #expect(rated.status == 0)
    let hits = try #require(
      (try JSONSerialization.jsonObject(with: Data(rated.stdout.utf8)) as? [String: Any])?[
        "hits"] as? [[String: Any]])
    #expect(hits.map { $0["id"] as? String } == ["ACME-1001"])
    #expect(hits.first?["reviews"] as? Int == 6)
    #expect((hits.first?["badges"] as? [String])?.contains("top-rated") == true)
    let sorted = try workspace.run("search", "acme", "--sort", "rating", "--json")
    let order = try #require(
      (try JSONSerialization.jsonObject(with: Data(sorted.stdout.utf8)) as? [String: Any])?[
        "hits"] as? [[String: Any]]
    ).compactMap { $0["id"] as? String }
    #expect(Array(order.prefix(2)) == ["ACME-1001", "ACME-1002"])
    let text = try workspace.run("search", "acme", "--sort", "rating")
    #expect(text.stdout.contains("badges") && text.stdout.contains("4.8 (6)"))
    // A review imported later is searched by at once: the saved columns follow it.
    _ = try workspace.run("search", "reindex")
    try workspace.write("r.csv", "review_id,product_id,rating,min,max\nlater,ACME-1003,5,1,5\n")
    _ = try workspace.run("ratings", "import", workspace.file("r.csv"))
    let later = try workspace.run("search", "acme", "--min-rating", "4.5", "--json")
    #expect(later.stdout.contains("ACME-1003") && later.stdout.contains("ACME-1001"))
  }

  @Test func lowStockIsShownWhereFewAreLeft() throws {
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER1", "--merchant", "acme-de", "--country", "DE",
      "--serves", "DE")
    try workspace.write(
      "stock.csv", "sku,warehouse,quantity\nACME-1001,BER1,3\nACME-1002,BER1,40\n")
    _ = try workspace.run("inventory", "sync", workspace.file("stock.csv"), "--merchant", "acme-de")
    let few = try workspace.run("catalog", "show", "ACME-1001", "--merchant", "acme-de")
    #expect(few.stdout.contains("\"low-stock\""))
    let many = try workspace.run("catalog", "show", "ACME-1002", "--merchant", "acme-de")
    #expect(!many.stdout.contains("low-stock"))
    // The merchant's own threshold: below 50, forty units are few; 0 turns the badge off.
    #expect(try workspace.run("inventory", "low-stock", "acme-de").stdout == "5\n")
    _ = try workspace.run("inventory", "low-stock", "acme-de", "--below", "50")
    let fewer = try workspace.run("catalog", "show", "ACME-1002", "--merchant", "acme-de")
    #expect(fewer.stdout.contains("\"low-stock\""))
    let listed = try workspace.run("inventory", "low", "--merchant", "acme-de", "--csv")
    #expect(listed.stdout.contains("ACME-1002") && listed.stdout.contains("ACME-1001"))
    _ = try workspace.run("inventory", "low-stock", "acme-de", "--below", "0")
    let off = try workspace.run("catalog", "show", "ACME-1001", "--merchant", "acme-de")
    #expect(!off.stdout.contains("low-stock"))
    let unknown = try workspace.run("inventory", "low-stock", "nobody", "--below", "3")
    #expect(unknown.status != 0 && unknown.stderr.contains("nobody"))
  }

  @Test func aBadRatingIsRejectedAtItsLine() throws {
    try workspace.write(
      "r.csv", "review_id,product_id,rating,min,max\nx1,ACME-1001,11,1,10\nx2,ACME-1001,4,,\n")
    let refused = try workspace.run("ratings", "import", workspace.file("r.csv"))
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("r.csv:2") && refused.stderr.contains("rating-out-of-range"))
    let skipped = try workspace.run(
      "ratings", "import", workspace.file("r.csv"), "--max-errors", "1")
    #expect(skipped.status == 0 && skipped.stdout.contains("stored 1"))
    let notRatings = try workspace.run("ratings", "import", examples + "/feeds/acme-de.csv")
    #expect(notRatings.status == 65 && notRatings.stderr.contains("not a product ratings feed"))
  }
}
