import Foundation
package import GRDB
import Importers
public import MktCore
import Search
import Store

/// What a ratings import did.
public struct RatingsSummary: Sendable, Equatable, Encodable {
  public var source: String
  public var reviews: Int
  /// Reviews stored (new or changed), and those already stored as they are.
  public var stored: Int
  public var unchanged: Int
  /// Reviews refused (a bad rating, no product id, a review id twice in the file).
  public var rejected: Int
  /// Reviews of products the catalog does not hold: counted, listed with `--errors`.
  public var unknownProducts: Int
  /// Products with a rating after the import.
  public var ratedProducts: Int
  public var dryRun: Bool
  public var issues: [RowIssue]

  enum CodingKeys: String, CodingKey {
    case source, reviews, stored, unchanged, rejected, issues
    case unknownProducts = "unknown_products"
    case ratedProducts = "rated_products"
    case dryRun = "dry_run"
  }

  public var line: String {
    "\(reviews) review\(reviews == 1 ? "" : "s"): \(dryRun ? "would store" : "stored") \(stored), "
      + "unchanged \(unchanged), rejected \(rejected), for products not in the catalog "
      + "\(unknownProducts); \(ratedProducts) rated products"
  }
}

/// A product's rating.
public struct ProductRating: Sendable, Equatable, Encodable {
  public var merchant: String
  public var product: String
  /// The mean of its reviews, 0–5.
  public var average: Double
  public var reviews: Int
  /// The mean pulled towards the mean of every review by ``CatalogService/ratingPrior``
  /// imaginary reviews: a product with one 5-star review does not outrank one with 200 at 4.8.
  public var score: Double
}

extension CatalogService {
  /// The weight of the Bayesian prior: as many reviews at the mean of all reviews.
  public static let ratingPrior = 5.0

  /// Stores the reviews of a product ratings feed (Merchant Center XML or CSV) in one
  /// transaction.
  ///
  /// Reviews are matched to products by SKU (the product id) or GTIN, and every product's
  /// rating is recomputed. A review id twice in the file keeps the first; a review of a product
  /// the catalog lacks is counted and listed, not stored.
  ///
  /// - Throws: ``FeedError`` when the file is not a ratings feed; ``ImportError`` when more
  ///   reviews are rejected than `options.maxErrors` allows.
  public func importRatings(bytes: [UInt8], source: String, options: ImportOptions)
    async throws -> RatingsSummary
  {
    let file = try ProductRatingsFile(bytes: bytes, file: source)
    let (accepted, problems) = Self.uniqueReviews(file, source: source)
    let rejected = problems.count
    guard rejected <= options.maxErrors else {
      throw ImportError.tooManyErrors(
        source: source, rejected: rejected, maxErrors: options.maxErrors, issues: problems)
    }
    let dryRun = options.dryRun
    let durability: Durability = .normal
    let work: @Sendable (Database) throws -> RatingsSummary = { db in
      var summary = RatingsSummary(
        source: source, reviews: file.reviews.count + file.issues.count, stored: 0, unchanged: 0,
        rejected: rejected, unknownProducts: 0, ratedProducts: 0, dryRun: dryRun, issues: [])
      let unknown = try Self.storeReviews(accepted, source: source, dryRun: dryRun, &summary, db)
      summary.unknownProducts = unknown.count
      summary.issues = problems + unknown
      if !dryRun { try Self.recomputeRatings(db) }
      summary.ratedProducts =
        try Int.fetchOne(db, sql: "SELECT count(*) FROM product_rating") ?? 0
      return summary
    }
    if dryRun { return try await store.read(work) }
    let summary = try await store.write(durability, work)
    // Ratings are part of search's saved columns: saved again here, as after a feed import, so
    // that no search has to.
    try await SearchService(store: store).prepare()
    return summary
  }

  /// The file's reviews with each review id once (the first is kept), and the file's issues
  /// with one more for each review id repeated.
  private static func uniqueReviews(_ file: ProductRatingsFile, source: String)
    -> (reviews: [ProductRatingsFile.Review], issues: [RowIssue])
  {
    var issues = file.issues
    var seen = Set<String>()
    var reviews: [ProductRatingsFile.Review] = []
    for review in file.reviews {
      guard seen.insert(review.id).inserted else {
        issues.append(
          RowIssue(
            location: InputLocation(
              file: source, line: review.line, field: "review_id", id: review.id),
            rule: "duplicate-review-id",
            message: "review \(review.id) is in the file before: the first is kept",
            rawValue: review.id))
        continue
      }
      reviews.append(review)
    }
    return (reviews, issues)
  }

  /// The statements a ratings import runs for each review.
  private struct ReviewStatements {
    let bySKU: Statement
    let byGTIN: Statement
    let existing: Statement
    let put: Statement

    init(_ db: Database) throws {
      bySKU = try db.cachedStatement(sql: "SELECT merchant_id, id FROM product WHERE id = ?")
      byGTIN = try db.cachedStatement(
        sql: "SELECT merchant_id, id FROM product WHERE gtin = ?")
      existing = try db.cachedStatement(
        sql: """
          SELECT rating, reviewer, reviewed_at FROM product_review
          WHERE review_id = ? AND merchant_id = ? AND product_id = ?
          """)
      put = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO product_review
            (review_id, merchant_id, product_id, rating, reviewer, reviewed_at, source)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """)
    }
  }

  /// Stores each review for every product it names, counted in `summary` (written unless
  /// `dryRun`).
  ///
  /// - Returns: a warning for each review of a product the catalog does not hold.
  private static func storeReviews(
    _ reviews: [ProductRatingsFile.Review], source: String, dryRun: Bool,
    _ summary: inout RatingsSummary, _ db: Database
  ) throws -> [RowIssue] {
    var unknown: [RowIssue] = []
    let statements = try ReviewStatements(db)
    for review in reviews {
      let products = try reviewedProducts(review, statements)
      guard !products.isEmpty else {
        unknown.append(
          RowIssue(
            location: InputLocation(file: source, line: review.line, id: review.id),
            rule: "unknown-product",
            message: "the catalog holds no product with sku or gtin "
              + (review.skus + review.gtins).joined(separator: ", "),
            rawValue: (review.skus + review.gtins).first, severity: .warning))
        continue
      }
      for product in products.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        try storeReview(
          review, of: product, source: source, dryRun: dryRun, &summary, statements)
      }
    }
    return unknown
  }

  /// The products (`[merchant_id, id]`) a review names by SKU or GTIN.
  private static func reviewedProducts(
    _ review: ProductRatingsFile.Review, _ statements: ReviewStatements
  ) throws -> Set<[String]> {
    var products = Set<[String]>()
    for sku in review.skus {
      for row in try Row.fetchAll(statements.bySKU, arguments: [sku]) {
        products.insert([row["merchant_id"], row["id"]])
      }
    }
    for gtin in review.gtins {
      for row in try Row.fetchAll(statements.byGTIN, arguments: [gtin]) {
        products.insert([row["merchant_id"], row["id"]])
      }
    }
    return products
  }

  /// Counts a review of one product as unchanged when it is stored as it is, else as stored,
  /// and writes it unless `dryRun`.
  private static func storeReview(
    _ review: ProductRatingsFile.Review, of product: [String], source: String, dryRun: Bool,
    _ summary: inout RatingsSummary, _ statements: ReviewStatements
  ) throws {
    let rating = (review.rating * 1_000).rounded() / 1_000
    if let row = try Row.fetchOne(
      statements.existing, arguments: [review.id, product[0], product[1]]),
      (row["rating"] as Double) == rating, (row["reviewer"] as String) == review.reviewer,
      (row["reviewed_at"] as String) == review.timestamp
    {
      summary.unchanged += 1
      return
    }
    summary.stored += 1
    if !dryRun {
      try statements.put.execute(arguments: [
        review.id, product[0], product[1], rating, review.reviewer, review.timestamp,
        source,
      ])
    }
  }

  /// Every product's average, count and Bayesian score, from its reviews.
  ///
  /// Only the rows that change are written: search marks each product whose average is
  /// written as changed (migration 0015), and a feed imported again changes few.
  static func recomputeRatings(_ db: Database) throws {
    let mean = try Double.fetchOne(db, sql: "SELECT avg(rating) FROM product_review") ?? 0
    try db.execute(
      sql: """
        CREATE TEMP TABLE fresh_rating AS
        SELECT merchant_id, product_id, avg(rating) AS average, count(*) AS reviews,
          (? * ? + sum(rating)) / (? + count(*)) AS score
        FROM product_review GROUP BY merchant_id, product_id;
        DELETE FROM product_rating WHERE NOT EXISTS (
          SELECT 1 FROM fresh_rating f
          WHERE f.merchant_id = product_rating.merchant_id
            AND f.product_id = product_rating.product_id);
        INSERT INTO product_rating (merchant_id, product_id, average, reviews, score)
        SELECT merchant_id, product_id, average, reviews, score FROM fresh_rating WHERE true
        ON CONFLICT (merchant_id, product_id) DO UPDATE
          SET average = excluded.average, reviews = excluded.reviews, score = excluded.score
          WHERE average IS NOT excluded.average OR reviews IS NOT excluded.reviews
            OR score IS NOT excluded.score;
        DROP TABLE fresh_rating;
        """, arguments: [ratingPrior, mean, ratingPrior])
  }

  /// The ratings of the products with `ids` (any merchant), by product id.
  package static func ratings(of ids: [String], _ db: Database) throws -> [String: ProductRating] {
    var result: [String: ProductRating] = [:]
    try SQLInList.chunks(ids) { placeholders, arguments in
      for row in try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT merchant_id, product_id, average, reviews, score FROM product_rating
            WHERE product_id IN (\(placeholders))
            """), arguments: arguments)
      {
        let rating = ProductRating(
          merchant: row["merchant_id"], product: row["product_id"], average: row["average"],
          reviews: row["reviews"], score: row["score"])
        if let known = result[rating.product], known.reviews >= rating.reviews { continue }
        result[rating.product] = rating
      }
    }
    return result
  }

  /// The rating of one product, or `nil` when it has no review.
  public func rating(of product: String, merchant: String? = nil) async throws -> ProductRating? {
    try await store.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT merchant_id, product_id, average, reviews, score FROM product_rating
          WHERE product_id = ? AND (?2 IS NULL OR merchant_id = ?2) ORDER BY reviews DESC LIMIT 1
          """, arguments: [product, merchant]
      ).map {
        ProductRating(
          merchant: $0["merchant_id"], product: $0["product_id"], average: $0["average"],
          reviews: $0["reviews"], score: $0["score"])
      }
    }
  }
}
