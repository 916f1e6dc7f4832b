import Foundation
import GRDB
import Importers
import Merchants
import MktCore
import Search

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
    var summary = ImportSummary(source: source, mode: options.mode, dryRun: options.dryRun)
    let plan = try plan(db)
    let items: ReadAhead
    if let ahead, ahead.0 == plan {
      items = ahead.1
    } else {
      ahead?.1.cancel()
      items = try start(plan)
    }
    defer { items.cancel() }
    var merchants = plan.merchants
    // New products are indexed for search in one pass at the end (Search's ProductIndex).
    let index =
      options.dryRun ? nil : try ProductIndex.begin(db, bulk: options.mode != .delete)
    var validator = FeedValidator(decimalComma: feed.decimalComma)
    let normalizer = FeedNormalizer()
    let lookup = try db.cachedStatement(
      sql: """
        SELECT content_hash, attribute_mask, attributes, source_hash, doc, language
        FROM product WHERE merchant_id = ? AND id = ?
        """)
    var seen = Set<String>()
    var feedMerchants = Set<String>()
    var checksum: UInt64 = 0xCBF2_9CE4_8422_2325
    var rejectedItems = 0
    /// The translations the feed gives with the item being read (Magento's store view rows).
    var translations: [ProductTranslation] = []
    /// Counts an accepted product in the checksum, and for replace as one the feed still lists;
    /// stores the translations it came with.
    func accept(_ merchant: String, _ id: String, hash: Int64) throws {
      checksum = (checksum ^ UInt64(bitPattern: hash)) &* 0x100_0000_01B3
      if options.mode == .replace { seen.insert(merchant + "\u{0}" + id) }
      if !translations.isEmpty && !options.dryRun {
        try storeTranslations(translations, merchant: merchant, id: id, db)
      }
    }

    while var item = try items.next() {
      translations = item.record.translations
      summary.rows += 1
      if summary.rows % 4096 == 0 { progress?(items.bytesRead, summary.rows) }
      if let rejection = item.rejection {
        summary.issues.append(rejection)
        rejectedItems += 1
        continue
      }
      let merchant = item.record[.merchantID]
      feedMerchants.insert(merchant)
      if !merchants.contains(merchant), let country = newMerchantCountry {
        // --create-merchants: the stage let the item through; the merchant comes first.
        switch Result(catching: { () throws(MerchantError) in
          try MerchantService.merchant(
            id: merchant, name: merchant, country: country, currency: nil, prices: nil,
            domain: nil)
        }) {
        case .success(let created):
          if !options.dryRun { try Merchant.insert(created, db) }
          merchants.insert(merchant)
          summary.merchantsCreated += 1
        case .failure(let error):
          summary.issues.append(
            ImportStage.issue(
              item.record, field: .merchantID, rule: "unknown-merchant",
              message: "cannot create merchant \(merchant): \(error.description)"))
          rejectedItems += 1
          continue
        }
      }
      let id = item.record.id
      if let prepared = item.prepared {
        // Validated ahead, and nothing of the merchant's is stored: a new product or a reject.
        guard prepared.errors.isEmpty else {
          summary.issues += prepared.errors
          rejectedItems += 1
          continue
        }
        if !options.dryRun {
          do {
            try write(
              item.record, merchant: merchant, line: prepared.line, hash: prepared.hash,
              source: item.sourceHash, columns: prepared.columns, db, update: false)
          } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The unique key (merchant_id, id): the feed had this item before. SQLite undid
            // this statement only; the import goes on.
            var issue = ImportStage.issue(
              item.record, field: .id, rule: "duplicate-id",
              message: "the id \(id) appeared earlier in the feed")
            issue.location.column = item.record.column(of: .id)
            summary.issues.append(issue)
            rejectedItems += 1
            continue
          }
        }
        try accept(merchant, id, hash: prepared.hash)
        summary.inserted += 1
        continue
      }
      if options.mode == .delete {
        guard !id.isEmpty else { continue }
        if !options.dryRun {
          try db.cachedStatement(sql: "DELETE FROM product WHERE merchant_id = ? AND id = ?")
            .execute(arguments: [merchant, id])
          if db.changesCount > 0 { summary.removed += 1 } else { summary.unchanged += 1 }
        } else if try Row.fetchOne(lookup, arguments: [merchant, id]) != nil {
          summary.removed += 1
        } else {
          summary.unchanged += 1
        }
        continue
      }

      let stored = id.isEmpty ? nil : try Row.fetchOne(lookup, arguments: [merchant, id])
      let sourceHash = item.sourceHash
      if let stored, item.cleared == 0, (stored[3] as Int64) == sourceHash,
        validator.noteID(item.record)
      {
        try accept(merchant, id, hash: stored[0])
        summary.unchanged += 1
        continue
      }
      if let stored, options.emptyCells == .keep {
        let storedMask: Int64 = stored[1]
        // A blank cell keeps the stored value: merge only when the row lacks something stored.
        if storedMask & ~item.record.attributeMask & ~item.cleared != 0,
          let previous = ProductRecord(canonicalJSON: stored[2])
        {
          item.record.keepMissing(from: previous, cleared: item.cleared)
        }
      }
      let record = item.record
      let findings = validator.validate(record)
      let errors = findings.filter { $0.severity == .error }
      if !errors.isEmpty {
        summary.issues += errors
        rejectedItems += 1
        continue
      }
      let line = normalizer.line(for: record)
      let hash = ContentHash.of(line)
      let columns = ProductColumns(record, decimalComma: feed.decimalComma)
      if let stored {
        if (stored[0] as Int64) == hash {
          summary.unchanged += 1
          if !options.dryRun && (stored[3] as Int64) != sourceHash {
            // Same product, written differently (another format, reordered cells): remember the
            // new spelling so that the next identical import takes the fast path.
            try db.cachedStatement(
              sql: "UPDATE product SET source_hash = ?, description = ?, tags = ? WHERE doc = ?"
            ).execute(
              arguments: [sourceHash, columns.description, columns.tags, stored[4] as Int64])
          }
          try accept(merchant, id, hash: hash)
          continue
        }
        summary.updated += 1
        if !options.dryRun {
          try keepTranslation(doc: stored[4], storedLanguage: stored[5], record: record, db)
          try write(
            record, merchant: merchant, line: line, hash: hash, source: sourceHash,
            columns: columns, db, update: true)
        }
      } else {
        summary.inserted += 1
        if !options.dryRun {
          try write(
            record, merchant: merchant, line: line, hash: hash, source: sourceHash,
            columns: columns, db, update: false)
        }
      }
      try accept(merchant, id, hash: hash)
    }
    progress?(items.bytesRead, summary.rows)
    summary.skippedDrafts = items.skippedDrafts
    summary.rejected = rejectedItems
    guard rejectedItems <= options.maxErrors else {
      throw ImportError.tooManyErrors(
        source: source, rejected: rejectedItems, maxErrors: options.maxErrors,
        issues: summary.issues)
    }
    if options.mode == .replace {
      // The merchants this feed speaks for lose the products it no longer lists.
      for merchant in feed.merchant.map({ [$0] }) ?? feedMerchants.sorted() {
        let ids = try String.fetchAll(
          db, sql: "SELECT id FROM product WHERE merchant_id = ?", arguments: [merchant])
        for id in ids where !seen.contains(merchant + "\u{0}" + id) {
          summary.removed += 1
          if !options.dryRun {
            try db.execute(
              sql: "DELETE FROM product WHERE merchant_id = ? AND id = ?",
              arguments: [merchant, id])
          }
        }
      }
    }
    try index?.finish(db, changed: summary.inserted + summary.updated + summary.removed)
    if let remote, !options.dryRun {
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO feed_source (url, etag, last_modified) VALUES (?, ?, ?)
          """,
        arguments: [remote.url, remote.validators.etag, remote.validators.lastModified])
    }
    return (summary, String(checksum, radix: 16))
  }

  private func write(
    _ record: ProductRecord, merchant: String, line: String, hash: Int64, source: Int64,
    columns: ProductColumns, _ db: Database, update: Bool
  ) throws {
    func text(_ attribute: Attribute) -> String? {
      record[attribute].isEmpty ? nil : record[attribute]
    }
    let arguments: StatementArguments = [
      merchant, record.id, record[.title], text(.brand), text(.productType),
      text(.googleProductCategory), text(.itemGroupID), columns.availability,
      columns.priceMinor, columns.salePriceMinor, columns.currency, text(.gtin),
      text(.language), line, record.attributeMask, hash, source, columns.description,
      columns.tags,
    ]
    if update {
      try db.cachedStatement(
        sql: """
          UPDATE product SET title = ?3, brand = ?4, product_type = ?5,
            google_product_category = ?6, item_group_id = ?7, availability = ?8, price_minor = ?9,
            sale_price_minor = ?10, currency = ?11, gtin = ?12, language = ?13, attributes = ?14,
            attribute_mask = ?15, content_hash = ?16, source_hash = ?17, description = ?18,
            tags = ?19,
            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          WHERE merchant_id = ?1 AND id = ?2
          """
      ).execute(arguments: arguments)
    } else {
      try db.cachedStatement(
        sql: """
          INSERT INTO product (merchant_id, id, title, brand, product_type,
            google_product_category, item_group_id, availability, price_minor, sale_price_minor,
            currency, gtin, language, attributes, attribute_mask, content_hash, source_hash,
            description, tags)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19)
          """
      ).execute(arguments: arguments)
    }
  }

  /// Files a feed's translations of a product it accepted, replacing those stored.
  private func storeTranslations(
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
  private func keepTranslation(
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
