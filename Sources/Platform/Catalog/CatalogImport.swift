import Foundation
import GRDB
import Importers
import Merchants
import MktCore
import Search
import Store

/// One feed's import inside one transaction.
///
/// Read, merge with what is stored, validate, compare hashes, write. Used by ``CatalogService/importFeed(path:feed:options:createMerchants:progress:)``.
struct CatalogImport {
  var path: String
  let feed: FeedOptions
  let options: ImportOptions
  /// The country of the merchants to create for unknown `merchant_id`s; `nil` rejects them.
  var newMerchantCountry: String? = nil
  /// Called now and then with the bytes read and the rows imported so far.
  var progress: (@Sendable (_ bytes: Int, _ rows: Int) -> Void)? = nil
  /// A remote feed: its URL, and the validators to remember once the import commits.
  ///
  /// `path` is then the downloaded file.
  var remote: (url: String, validators: FeedFetcher.Validators)? = nil

  /// The source as the user named it.
  var source: String { remote?.url ?? path }

  /// What the first stage needs to know of the store: read before the transaction when a
  /// manifest reads feeds ahead, and checked again inside it.
  struct Plan: Sendable, Equatable {
    var merchants: Set<String>
    /// The merchants concerned have no products yet: validate on the read-ahead thread.
    var eager: Bool
  }

  func plan(_ db: Database) throws -> Plan {
    let anyStored =
      try Bool.fetchOne(
        db,
        sql: feed.merchant == nil
          ? "SELECT EXISTS (SELECT 1 FROM product)"
          : "SELECT EXISTS (SELECT 1 FROM product WHERE merchant_id = ?)",
        arguments: feed.merchant.map { [$0] } ?? []) ?? true
    return Plan(
      merchants: Set(try String.fetchAll(db, sql: "SELECT id FROM merchant")),
      eager: !anyStored && options.mode != .delete)
  }

  /// Opens the feed and starts its first stage.
  func start(_ plan: Plan) throws -> ReadAhead {
    // The same row of the same feed, read with the same options, needs no validation or
    // normalisation: its source hash says "unchanged".
    let seed = UInt64(
      bitPattern: ContentHash.of(
        "\(feed.decimalComma)|\(options.emptyCells)|\(feed.currency ?? "")|\(feed.shopURL ?? "")"))
    let stage = ImportStage(
      merchants: plan.merchants, forcedMerchant: feed.merchant, seed: seed,
      decimalComma: feed.decimalComma, eager: plan.eager,
      createMerchants: newMerchantCountry != nil, dryRun: options.dryRun)
    return ReadAhead(
      reader: try FeedReader(path: path, name: remote?.url, options: feed), stage: stage)
  }

  /// Runs the import on `db`; writes only when `options.dryRun` is false.
  ///
  /// - Parameters:
  ///   - db: The connection, inside the import's transaction.
  ///   - ahead: A first stage started before the transaction, used if the store still matches
  ///     its plan.
  /// - Returns: the summary, and a checksum of the imported content.
  /// - Throws: ``ImportError``, feed, source and store errors.
  func run(_ db: Database, ahead: (Plan, ReadAhead)? = nil) throws -> (
    ImportSummary, checksum: String
  ) {
    let plan = try plan(db)
    let items: ReadAhead
    if let ahead, ahead.0 == plan {
      items = ahead.1
    } else {
      ahead?.1.cancel()
      items = try start(plan)
    }
    defer { items.cancel() }
    var run = Run(
      summary: ImportSummary(source: source, mode: options.mode, dryRun: options.dryRun),
      merchants: plan.merchants, validator: FeedValidator(decimalComma: feed.decimalComma),
      writes: try ProductWrites(db))
    run.now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") ?? ""
    // New products are indexed for search in one pass at the end (Search's ProductIndex).
    let index =
      options.dryRun ? nil : try ProductIndex.begin(db, bulk: options.mode != .delete)
    let lookup = try db.cachedStatement(
      sql: """
        SELECT content_hash, attribute_mask, attributes, source_hash, doc, language
        FROM product WHERE merchant_id = ? AND id = ?
        """)
    while var item = try items.next() {
      run.translations = item.record.translations
      run.summary.rows += 1
      if run.summary.rows % 4096 == 0 { progress?(items.bytesRead, run.summary.rows) }
      guard try admit(item, &run, db) else { continue }
      if let prepared = item.prepared {
        try insert(item, prepared, &run, db)
      } else if options.mode == .delete {
        try delete(item.record, &run, lookup, db)
      } else {
        try upsert(&item, &run, lookup, db)
      }
    }
    progress?(items.bytesRead, run.summary.rows)
    run.summary.skippedDrafts = items.skippedDrafts
    run.summary.rejected = run.rejected
    guard run.rejected <= options.maxErrors else {
      throw ImportError.tooManyErrors(
        source: source, rejected: run.rejected, maxErrors: options.maxErrors,
        issues: run.summary.issues)
    }
    try removeAbsent(&run, db)
    let summary = run.summary
    try index?.finish(db, changed: summary.inserted + summary.updated + summary.removed)
    if let remote, !options.dryRun {
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO feed_source (url, etag, last_modified) VALUES (?, ?, ?)
          """,
        arguments: [remote.url, remote.validators.etag, remote.validators.lastModified])
    }
    return (summary, String(run.checksum, radix: 16))
  }

  /// Writes `record` as a new product, or over the stored one (`update`), with the import's
  /// prepared statements and time.
  ///
  /// - Throws: store errors; a `DatabaseError` with `SQLITE_CONSTRAINT` for an id seen before.
  func write(
    _ record: ProductRecord, merchant: String, line: String, hash: Int64, source: Int64,
    columns: ProductColumns, _ run: Run, update: Bool
  ) throws {
    func text(_ attribute: Attribute) -> String? {
      record[attribute].isEmpty ? nil : record[attribute]
    }
    // Bound straight to SQLite: GRDB's array of nineteen arguments cost the writer thread
    // more than a tenth of its time.
    let statement = update ? run.writes.update : run.writes.insert
    statement.bind(merchant, at: 1)
    statement.bind(record.id, at: 2)
    statement.bind(record[.title], at: 3)
    statement.bind(text(.brand), at: 4)
    statement.bind(text(.productType), at: 5)
    statement.bind(text(.googleProductCategory), at: 6)
    statement.bind(text(.itemGroupID), at: 7)
    statement.bind(columns.availability, at: 8)
    statement.bind(columns.priceMinor, at: 9)
    statement.bind(columns.salePriceMinor, at: 10)
    statement.bind(columns.currency, at: 11)
    statement.bind(text(.gtin), at: 12)
    statement.bind(text(.language), at: 13)
    statement.bind(line, at: 14)
    statement.bind(record.attributeMask, at: 15)
    statement.bind(hash, at: 16)
    statement.bind(source, at: 17)
    statement.bind(columns.description, at: 18)
    statement.bind(columns.tags, at: 19)
    statement.bind(run.now, at: 20)
    try statement.run()
  }

  /// The statements that write products, prepared once per import: finding a cached statement
  /// by its text hashes all of it, for every product.
  struct ProductWrites {
    let insert: RawInsert
    let update: RawInsert

    init(_ db: Database) throws {
      insert = RawInsert(try db.makeStatement(sql: CatalogImport.insertSQL))
      update = RawInsert(try db.makeStatement(sql: CatalogImport.updateSQL))
    }
  }

  /// A changed product's columns, numbered as
  /// ``write(_:merchant:line:hash:source:columns:_:update:)`` binds them.
  static let updateSQL = """
    UPDATE product SET title = ?3, brand = ?4, product_type = ?5,
      google_product_category = ?6, item_group_id = ?7, availability = ?8, price_minor = ?9,
      sale_price_minor = ?10, currency = ?11, gtin = ?12, language = ?13, attributes = ?14,
      attribute_mask = ?15, content_hash = ?16, source_hash = ?17, description = ?18,
      tags = ?19, updated_at = ?20
    WHERE merchant_id = ?1 AND id = ?2
    """

  /// A new product's columns, numbered as
  /// ``write(_:merchant:line:hash:source:columns:_:update:)`` binds them.
  static let insertSQL = """
    INSERT INTO product (merchant_id, id, title, brand, product_type,
      google_product_category, item_group_id, availability, price_minor, sale_price_minor,
      currency, gtin, language, attributes, attribute_mask, content_hash, source_hash,
      description, tags, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
      ?18, ?19, ?20, ?20)
    """

  /// Files a feed's translations of a product it accepted, replacing those stored.
  func storeTranslations(
    _ translations: [ProductTranslation], merchant: String, id: String, _ db: Database
  ) throws {
    for translation in translations {
      try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO product_translation (doc, language, title, description)
          SELECT doc, ?, ?, ? FROM product WHERE merchant_id = ? AND id = ? AND language IS NOT ?
          """
      ).execute(
        arguments: [
          translation.language, translation.title, translation.description, merchant, id,
          translation.language,
        ])
    }
  }

  /// Before a feed in another language rewrites a product's title and description, files the
  /// stored ones under their language; the new language's entry, if any, is now the product's.
  func keepTranslation(
    doc: Int64, storedLanguage: String?, record: ProductRecord, _ db: Database
  ) throws {
    let language = record[.language]
    guard let storedLanguage, !storedLanguage.isEmpty, !language.isEmpty,
      storedLanguage != language
    else { return }
    try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO product_translation (doc, language, title, description)
        SELECT doc, language, title, description FROM product WHERE doc = ?
        """
    ).execute(arguments: [doc])
    try db.cachedStatement(sql: "DELETE FROM product_translation WHERE doc = ? AND language = ?")
      .execute(arguments: [doc, language])
  }
}

/// What the search index reads from a record beyond its typed columns.
enum SearchText {
  /// The words shoppers search for beyond title, brand and category: the feed's tags (Shopify's
  /// `Tags`, a `tags` custom column), colour, material and pattern.
  static func tags(_ record: ProductRecord) -> String {
    var parts: [String] = []
    if let tags = record.custom["tags"], !tags.isEmpty { parts.append(tags) }
    for attribute in [Attribute.color, .material, .pattern] where !record[attribute].isEmpty {
      parts.append(record[attribute])
    }
    return parts.joined(separator: " ")
  }
}
