import Foundation
import Importers
import MktCore
import Testing

/// Product ratings feeds: Merchant Center's product review XML and the CSV, and what they
/// refuse.
struct RatingsFileTests {
  static func read(_ name: String) throws -> ProductRatingsFile {
    let path = fixtures + "/" + name
    return try ProductRatingsFile(
      bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: name)
  }

  @Test func theMerchantCenterFeedIsReadAndItsBadReviewsNamed() throws {
    let file = try Self.read("ratings/product-reviews.xml")
    #expect(file.reviews.map(\.id) == ["kw-1", "kw-2"])
    let first = try #require(file.reviews.first)
    #expect(first.rating == 4.375)  // 4.5 on 1–5 is 5 × 3.5 ÷ 4
    #expect(first.reviewer == "Jörg" && first.timestamp == "2025-02-01T10:00:00Z")
    #expect(first.skus == ["KWM-1001"] && first.gtins == ["4006381001014"])
    #expect(first.mpns == ["WK-17"] && first.brands == ["Kochwerk"] && first.line == 8)
    #expect(file.reviews[1].rating == 3.5 && file.reviews[1].skus == ["KWM-1001", "KWM-1002"])
    #expect(
      file.issues.map { "\($0.location.line ?? 0) \($0.rule)" } == [
        "33 rating-out-of-range", "38 invalid-rating", "43 missing-product",
        "48 missing-review-id",
      ])
  }

  @Test func theCSVIsReadWithItsDefaults() throws {
    let file = try Self.read("ratings/product-reviews.csv")
    #expect(file.reviews.map(\.rating) == [5, 4])
    #expect(file.reviews[0].reviewer == "Anna, B." && file.reviews[1].gtins == ["4006381001014"])
    // Without min and max, a rating is on 1–5: 0 is outside.
    #expect(file.issues.map { "\($0.location.line ?? 0) \($0.rule)" } == ["4 rating-out-of-range"])
  }

  /// Found by RatingsFuzz: a 23-digit "max" trapped when the message wrote the range.
  @Test func aRangeTooLargeForAnIntegerIsNamedNotTrappedOn() throws {
    let csv = "review_id,product_id,rating,min,max\nr-1,KWM-1001,0,100,40063810044444444441014\n"
    let file = try ProductRatingsFile(bytes: Array(csv.utf8), file: "huge.csv")
    #expect(file.reviews.isEmpty)
    let issue = try #require(file.issues.first)
    #expect(issue.rule == "rating-out-of-range" && issue.location.line == 2)
    #expect(issue.message.contains("100 to 4.0063810044444444e+22"))
  }

  @Test(arguments: [
    "hostile/billion-laughs.xml", "hostile/quadratic-blowup.xml", "hostile/xxe-file.xml",
    "hostile/xxe-network.xml", "hostile/external-dtd.xml",
  ])
  func aDoctypeIsRefusedNeverExpanded(file: String) throws {
    #expect(throws: FeedError.self) { try Self.read(file) }
  }

  @Test func whatIsNotARatingsFeedIsSaid() throws {
    #expect(throws: FeedError.self) {
      try ProductRatingsFile(bytes: Array("<rss><channel/></rss>".utf8), file: "x.xml")
    }
    #expect(throws: FeedError.self) {
      try ProductRatingsFile(bytes: Array("<feed><reviews><review>".utf8), file: "cut.xml")
    }
    #expect(throws: FeedError.self) {
      try ProductRatingsFile(bytes: Array("id,title\n1,a\n".utf8), file: "products.csv")
    }
    #expect(throws: FeedError.self) {
      try ProductRatingsFile(bytes: Array("<feed>&custom;</feed>".utf8), file: "entity.xml")
    }
  }
}
