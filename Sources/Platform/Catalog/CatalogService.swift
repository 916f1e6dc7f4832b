import Foundation
import GRDB
public import Importers
public import MktCore
import Search
public import Store

/// The catalog: merchants' products, imported from feeds under the import contract.
public struct CatalogService: Sendable {
  let store: Store
  /// How remote feeds are fetched: deadline, retries, size cap.
  let fetcher: FeedFetcher
  /// Where remote feeds are downloaded: beside the database.
  let spool: FetchSpool

  /// - Parameters:
  ///   - store: The database.
  ///   - fetch: The bounds of fetching a remote feed: a deadline for the whole fetch (retries,
  ///     with backoff from half a second, doubling, included) and a size cap.
  public init(store: Store, fetch: FetchLimits = .feed) {
    self.store = store
    fetcher = FeedFetcher(limits: fetch)
    spool = FetchSpool(beside: store.path)
  }

  /// Imports one feed in one transaction: all of it, or nothing.
  ///
  /// Upsert adds and changes the listed products (a blank cell keeps the stored value,
  /// `__EMPTY__` clears it); replace also removes the products of the feed's merchants that it
  /// no longer lists; delete removes the listed ids. An item with an error-severity finding, an
  /// unknown merchant, or another merchant than `--merchant` is rejected; more rejected items
  /// than `options.maxErrors` abort with nothing written. Unchanged products (same content
  /// hash) are not written, so a second import of the same feed writes nothing. Every run is
  /// recorded in `import_run`, failed ones too.
  ///
  /// - Parameters:
  ///   - path: The feed, `-` for standard input; `.gz` is read as such.
  ///   - feed: How to read it; `feed.merchant` names the merchant that owns every item.
  ///   - options: Mode, dry run, error budget, blank-cell policy.
  ///   - country: With `--create-merchants`, the country of the merchants created for unknown
  ///     `merchant_id`s; `nil` rejects their items.
  ///   - progress: Called now and then with the bytes read and the rows imported.
  ///   - searchReady: Bring search's saved columns up to date after the commit
  ///     (``prepareSearch(after:)``); several imports in a row pass `false` and call it once.
  /// - Returns: the counts, and the rejected items' findings.
  /// - Throws: ``ImportError``, feed errors (65), source errors (66, 74), store errors.
  public func importFeed(
    path: String, feed: FeedOptions, options: ImportOptions = ImportOptions(),
    createMerchants country: String? = nil,
    progress: (@Sendable (_ bytes: Int, _ rows: Int) -> Void)? = nil, searchReady: Bool = true
  ) async throws -> ImportSummary {
    let job = CatalogImport(
      path: path, feed: feed, options: options, newMerchantCountry: country, progress: progress)
    let summary = try await run(job, ahead: nil)
    if searchReady { try await prepareSearch(after: [summary]) }
    return summary
  }

  /// Imports several feeds in turn, each in its own transaction, then brings search in step
  /// once with what they changed.
  ///
  /// Search is brought in step also when a feed fails after others committed: the error is
  /// thrown after that, and the feeds before it need no save on the first search.
  ///
  /// - Parameters:
  ///   - sources: The feeds, in order.
  ///   - importing: Imports one feed with `importFeed(…, searchReady: false)`, around whatever
  ///     the caller shows for it.
  /// - Returns: the summaries, in order.
  /// - Throws: the first feed's error; the feeds after it are not read.
  public func importFeeds(
    _ sources: [String], _ importing: (String) async throws -> ImportSummary
  ) async throws -> [ImportSummary] {
    var summaries: [ImportSummary] = []
    do {
      for source in sources { summaries.append(try await importing(source)) }
    } catch {
      try? await prepareSearch(after: summaries)
      throw error
    }
    try await prepareSearch(after: summaries)
    return summaries
  }

  /// Brings search's saved columns and postings in step with what `summaries` changed
  /// (``SearchService/prepare(frequentWords:waiting:alongside:)``), so the next search starts
  /// from them instead of saving them itself.
  ///
  /// The imports' commits left their pages in the WAL (``run(_:ahead:)``): they are copied into
  /// the main file while readers rebuild search's columns, and the WAL is emptied at the end.
  public func prepareSearch(after summaries: [ImportSummary]) async throws {
    guard summaries.contains(where: { !$0.dryRun }) else { return }
    if summaries.contains(where: { $0.inserted + $0.updated + $0.removed > 0 && !$0.dryRun }) {
      do {
        try await SearchService(store: store).prepare(alongside: { [store] in
          try await store.checkpoint(truncating: false)
        })
      } catch {
        try? await store.checkpoint()
        throw error
      }
    }
    try await store.checkpoint()
  }

  /// Runs `job` in its own transaction, recording it in the history whatever the outcome.
  ///
  /// - Parameters:
  ///   - job: The import.
  ///   - ahead: Its first stage, if started already.
  /// - Returns: the summary.
  /// - Throws: what the import throws, after recording the failed run.
  ///
  /// The commit leaves its pages in the WAL: ``prepareSearch(after:)`` copies them into the
  /// main file beside its own work.
  func run(
    _ job: CatalogImport, ahead: (CatalogImport.Plan, ReadAhead)?
  ) async throws -> ImportSummary {
    let (feed, options) = (job.feed, job.options)
    let source = job.source
    let started = ContinuousClock.now
    var job = job
    var ahead = ahead
    var downloaded: String?
    defer { if let downloaded { FetchSpool.remove(downloaded) } }
    do {
      if FeedFetcher.isURL(job.path) {
        let url = job.path
        let known = try await store.read { db in
          try Row.fetchOne(
            db, sql: "SELECT etag, last_modified FROM feed_source WHERE url = ?", arguments: [url]
          ).map { FeedFetcher.Validators(etag: $0["etag"], lastModified: $0["last_modified"]) }
        }
        switch try await fetcher.fetch(url, known: options.dryRun ? nil : known, spool: spool) {
        case .notModified:
          var summary = ImportSummary(source: url, mode: options.mode, dryRun: options.dryRun)
          summary.notModified = true
          summary.durationMilliseconds = Self.milliseconds(since: started)
          let run = summary
          try await store.write(.normal) { db in
            try Self.record(
              run, merchant: feed.merchant, checksum: nil, outcome: "not-modified", message: nil,
              db)
          }
          return summary
        case .downloaded(let file, let validators):
          downloaded = file
          ahead?.1.cancel()
          ahead = nil
          job.path = file
          job.remote = (url, validators)
        }
      }
      let (summary, _) =
        options.dryRun
        ? try await store.read { [job, ahead] db in try job.run(db, ahead: ahead) }
        : try await store.write(.normal, checkpointLater: true) { [job, ahead] db in
          var (summary, checksum) = try job.run(db, ahead: ahead)
          summary.durationMilliseconds = Self.milliseconds(since: started)
          try Self.record(
            summary, merchant: feed.merchant, checksum: checksum, outcome: "ok", message: nil, db)
          return (summary, checksum)
        }
      var result = summary
      result.durationMilliseconds = Self.milliseconds(since: started)
      return result
    } catch {
      // The transaction rolled back; the run is still history.
      var failed = ImportSummary(source: source, mode: options.mode, dryRun: options.dryRun)
      failed.durationMilliseconds = Self.milliseconds(since: started)
      if case .tooManyErrors(_, let rejected, _, _) = error as? ImportError {
        failed.rejected = rejected
      }
      let message = (error as? any MktError)?.description ?? "\(error)"
      let run = failed
      if !options.dryRun {
        _ = try? await store.write(.normal) { db in
          try Self.record(
            run, merchant: feed.merchant, checksum: nil, outcome: "failed", message: message, db)
        }
      }
      throw error
    }
  }

  /// Products, ordered by merchant and id.
  public func products(merchant: String? = nil, limit: Int? = nil) async throws -> [Product] {
    let now = store.clock.seconds()
    return try await store.read { db in
      var sql = "SELECT \(Self.columns) FROM product"
      var arguments: StatementArguments = []
      if let merchant {
        sql += " WHERE merchant_id = ?"
        arguments += [merchant]
      }
      sql += " ORDER BY merchant_id, id"
      if let limit { sql += " LIMIT \(max(0, limit))" }
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
        Self.product($0, now: now)
      }
    }
  }

  /// One product; `merchant` may be omitted when only one merchant has the id.
  public func product(id: String, merchant: String?) async throws -> Product {
    let now = store.clock.seconds()
    return try await store.read { db in
      var sql = "SELECT \(Self.columns) FROM product WHERE id = ?"
      var arguments: StatementArguments = [ProductRecord.composed(id)]
      if let merchant {
        sql += " AND merchant_id = ?"
        arguments += [merchant]
      }
      let rows = try Row.fetchAll(
        db, sql: sql + " ORDER BY merchant_id LIMIT 10", arguments: arguments)
      guard let first = rows.first else {
        throw CatalogError.productNotFound(merchant: merchant, id: id)
      }
      guard rows.count == 1 else {
        throw CatalogError.ambiguousProduct(id: id, merchants: rows.map { $0["merchant_id"] })
      }
      return Self.product(first, now: now)
    }
  }

  /// Calls `body` with each product's canonical JSON line, ordered by merchant and id, from one
  /// consistent snapshot, without holding all of them in memory.
  public func forEachLine(
    merchant: String? = nil, languages: [String] = [],
    _ body: @escaping @Sendable (String) throws -> Void
  )
    async throws
  {
    try await store.read { db in
      var sql = "SELECT doc, attributes FROM product"
      var arguments: StatementArguments = []
      if let merchant {
        sql += " WHERE merchant_id = ?"
        arguments += [merchant]
      }
      let cursor = try Row.fetchCursor(
        db, sql: sql + " ORDER BY merchant_id, id", arguments: arguments)
      guard !languages.isEmpty else {
        while let row = try cursor.next() { try body(row["attributes"]) }
        return
      }
      // Titles and descriptions along the language chain, a batch of products at a time.
      var batch: [(doc: Int64, line: String)] = []
      func flush() throws {
        let texts = try ProductText.localized(db, docs: batch.map(\.doc), chain: languages)
        for (doc, line) in batch {
          try body(Self.localized(line, texts[doc]))
        }
        batch.removeAll(keepingCapacity: true)
      }
      while let row = try cursor.next() {
        batch.append((row["doc"], row["attributes"]))
        if batch.count == 500 { try flush() }
      }
      try flush()
    }
  }

  /// `line` with the title and description of `text`, when they differ.
  static func localized(_ line: String, _ text: ProductText.Localized?) -> String {
    guard let text, text.titleTranslated || text.descriptionTranslated,
      var record = ProductRecord(canonicalJSON: line)
    else { return line }
    if text.titleTranslated { record[.title] = text.title }
    if text.descriptionTranslated { record[.description] = text.description }
    return FeedNormalizer().line(for: record)
  }

  /// Product counts, in total and per merchant.
  public func stats() async throws -> CatalogStats {
    try await store.read { db in
      let merchants = try Row.fetchAll(
        db,
        sql: """
          SELECT merchant_id, count(*) AS products FROM product
          GROUP BY merchant_id ORDER BY merchant_id
          """
      ).map { CatalogStats.Merchant(merchantID: $0["merchant_id"], products: $0["products"]) }
      return CatalogStats(products: merchants.reduce(0) { $0 + $1.products }, merchants: merchants)
    }
  }

  /// Recorded import runs, newest first.
  public func history(merchant: String? = nil, limit: Int = 100) async throws -> [ImportRun] {
    try await store.read { db in
      var sql = "SELECT * FROM import_run"
      var arguments: StatementArguments = []
      if let merchant {
        sql += " WHERE merchant_id = ?"
        arguments += [merchant]
      }
      sql += " ORDER BY id DESC LIMIT \(max(1, limit))"
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
        ImportRun(
          id: row["id"], merchantID: row["merchant_id"], source: row["source"],
          checksum: row["checksum"], mode: row["mode"], dryRun: row["dry_run"],
          outcome: row["outcome"], message: row["message"], rows: row["rows"],
          inserted: row["inserted"], updated: row["updated"], unchanged: row["unchanged"],
          removed: row["removed"], rejected: row["rejected"],
          durationMilliseconds: row["duration_ms"], startedAt: row["started_at"])
      }
    }
  }

  static let columns =
    "merchant_id, id, title, brand, availability, price_minor, sale_price_minor, currency, "
    + "updated_at, attributes, json_extract(attributes, '$.sale_price_effective_date') AS sale_window"

  static func product(_ row: Row, now: Int64) -> Product {
    let currency: String? = row["currency"]
    func price(_ minor: Int64?) -> String? {
      guard let minor, let currency else { return nil }
      return FeedPrice(minorUnits: minor, currency: currency).text
    }
    return Product(
      merchantID: row["merchant_id"], id: row["id"], title: row["title"], brand: row["brand"],
      availability: row["availability"], price: price(row["price_minor"]),
      // The price in force now: an ended or future sale shows the regular price (the feed's
      // sale and its dates stay in the attributes, which `catalog show` prints).
      salePrice: FeedSyntax.saleInForce(row["sale_window"], at: now)
        ? price(row["sale_price_minor"]) : nil,
      updatedAt: row["updated_at"],
      attributes: row["attributes"])
  }

  static func record(
    _ summary: ImportSummary, merchant: String?, checksum: String?, outcome: String,
    message: String?, _ db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO import_run (merchant_id, source, checksum, mode, dry_run, outcome, message,
          rows, inserted, updated, unchanged, removed, rejected, duration_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        merchant, summary.source, checksum, summary.mode.rawValue, summary.dryRun, outcome, message,
        summary.rows, summary.inserted, summary.updated, summary.unchanged, summary.removed,
        summary.rejected, summary.durationMilliseconds,
      ])
  }

  static func milliseconds(since start: ContinuousClock.Instant) -> Int {
    Int((ContinuousClock.now - start) / .milliseconds(1))
  }
}

extension CatalogService {
  /// A page of products in (merchant, id) order, after the product `after` (exclusive), for
  /// cursor pagination: a page never repeats or skips a product while others are imported.
  public func products(merchant: String?, after: ProductKey?, limit: Int) async throws
    -> [Product]
  {
    let now = store.clock.seconds()
    return try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.columns) FROM product
          WHERE (?1 IS NULL OR merchant_id = ?1)
            AND (?2 IS NULL OR (merchant_id, id) > (?2, ?3))
          ORDER BY merchant_id, id LIMIT ?4
          """, arguments: [merchant, after?.merchant, after?.id, max(0, limit)]
      ).map { Self.product($0, now: now) }
    }
  }
}

/// A product's identity across merchants: ids are unique per merchant only.
public struct ProductKey: Sendable, Hashable {
  public var merchant: String
  public var id: String

  public init(merchant: String, id: String) {
    self.merchant = merchant
    self.id = id
  }
}
