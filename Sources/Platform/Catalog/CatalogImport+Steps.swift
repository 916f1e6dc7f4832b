import GRDB
import Importers
import Merchants
import MktCore

/// The steps of ``CatalogImport/run(_:ahead:)``: admit an item, then insert, delete or upsert
/// it; at the end remove what a replace no longer lists.
extension CatalogImport {
  /// What one import has counted, seen and read so far.
  struct Run {
    var summary: ImportSummary
    var merchants: Set<String>
    var validator: FeedValidator
    let normalizer = FeedNormalizer()
    let writes: ProductWrites
    /// Merchant and id of every product the feed lists (for replace).
    var seen = Set<String>()
    var feedMerchants = Set<String>()
    var checksum: UInt64 = 0xCBF2_9CE4_8422_2325
    var rejected = 0
    /// The import's time, read once: each product it writes was created or updated then.
    var now = ""
    /// The translations the feed gives with the item being read (Magento's store view rows).
    var translations: [ProductTranslation] = []

    mutating func reject(_ issues: [RowIssue]) {
      summary.issues += issues
      rejected += 1
    }
  }

  /// Counts an accepted product in the checksum, and for replace as one the feed still lists;
  /// stores the translations it came with.
  func accept(
    _ merchant: String, _ id: String, hash: Int64, _ run: inout Run, _ db: Database
  ) throws {
    run.checksum = (run.checksum ^ UInt64(bitPattern: hash)) &* 0x100_0000_01B3
    if options.mode == .replace { run.seen.insert(merchant + "\u{0}" + id) }
    if !run.translations.isEmpty && !options.dryRun {
      try storeTranslations(run.translations, merchant: merchant, id: id, db)
    }
  }

  /// Whether an item goes on to be written: not rejected by the first stage, and its merchant
  /// known (or created, with `--create-merchants`).
  func admit(_ item: ImportItem, _ run: inout Run, _ db: Database) throws -> Bool {
    if let rejection = item.rejection {
      run.reject([rejection])
      return false
    }
    let merchant = item.record[.merchantID]
    run.feedMerchants.insert(merchant)
    guard !run.merchants.contains(merchant), let country = newMerchantCountry else { return true }
    // --create-merchants: the stage let the item through; the merchant comes first.
    switch Result(catching: { () throws(MerchantError) in
      try MerchantService.merchant(
        id: merchant, name: merchant, country: country, currency: nil, prices: nil,
        domain: nil)
    }) {
    case .success(let created):
      if !options.dryRun { try Merchant.insert(created, db) }
      run.merchants.insert(merchant)
      run.summary.merchantsCreated += 1
      return true
    case .failure(let error):
      run.reject([
        ImportStage.issue(
          item.record, field: .merchantID, rule: "unknown-merchant",
          message: "cannot create merchant \(merchant): \(error.description)")
      ])
      return false
    }
  }

  /// Inserts an item validated ahead while nothing of its merchant's was stored: a new
  /// product, or a reject.
  func insert(
    _ item: ImportItem, _ prepared: PreparedRow, _ run: inout Run, _ db: Database
  ) throws {
    guard prepared.errors.isEmpty else { return run.reject(prepared.errors) }
    let (merchant, id) = (item.record[.merchantID], item.record.id)
    if !options.dryRun {
      do {
        try write(
          item.record, merchant: merchant, line: prepared.line, hash: prepared.hash,
          source: item.sourceHash,
          columns: ProductColumns(item.record, decimalComma: feed.decimalComma), run,
          update: false)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
        // The unique key (merchant_id, id): the feed had this item before. SQLite undid
        // this statement only; the import goes on.
        var issue = ImportStage.issue(
          item.record, field: .id, rule: "duplicate-id",
          message: "the id \(id) appeared earlier in the feed")
        issue.location.column = item.record.column(of: .id)
        return run.reject([issue])
      }
    }
    try accept(merchant, id, hash: prepared.hash, &run, db)
    run.summary.inserted += 1
  }

  /// Removes a listed product (`--mode delete`).
  func delete(
    _ record: ProductRecord, _ run: inout Run, _ lookup: Statement, _ db: Database
  ) throws {
    let (merchant, id) = (record[.merchantID], record.id)
    guard !id.isEmpty else { return }
    if !options.dryRun {
      if try removeProduct(merchant, id, db) {
        run.summary.removed += 1
      } else {
        run.summary.unchanged += 1
      }
    } else if try Row.fetchOne(lookup, arguments: [merchant, id]) != nil {
      run.summary.removed += 1
    } else {
      run.summary.unchanged += 1
    }
  }

  /// Inserts or updates an item against what is stored: unchanged rows are recognised by their
  /// source hash before any work, blank cells keep stored values (`--empty-cells keep`), and
  /// a product whose canonical line is the same is left as it is.
  func upsert(
    _ item: inout ImportItem, _ run: inout Run, _ lookup: Statement, _ db: Database
  ) throws {
    let (merchant, id) = (item.record[.merchantID], item.record.id)
    let stored =
      id.isEmpty
      ? nil : try Row.fetchOne(lookup, arguments: [merchant, id]).map(StoredProduct.init(row:))
    let sourceHash = item.sourceHash
    if let stored, item.cleared == 0, stored.sourceHash == sourceHash,
      run.validator.noteID(item.record)
    {
      try accept(merchant, id, hash: stored.contentHash, &run, db)
      run.summary.unchanged += 1
      return
    }
    if let stored, options.emptyCells == .keep,
      // A blank cell keeps the stored value: merge only when the row lacks something stored.
      stored.attributeMask & ~item.record.attributeMask & ~item.cleared != 0,
      let previous = ProductRecord(canonicalJSON: stored.attributes)
    {
      item.record.keepMissing(from: previous, cleared: item.cleared)
    }
    let record = item.record
    let errors = run.validator.validate(record).filter { $0.severity == .error }
    guard errors.isEmpty else { return run.reject(errors) }
    let line = run.normalizer.line(for: record)
    let hash = ContentHash.of(line)
    let columns = ProductColumns(record, decimalComma: feed.decimalComma)
    if let stored, stored.contentHash == hash {
      run.summary.unchanged += 1
      if !options.dryRun && stored.sourceHash != sourceHash {
        // Same product, written differently (another format, reordered cells): remember the
        // new spelling so that the next identical import takes the fast path.
        try db.cachedStatement(
          sql: "UPDATE product SET source_hash = ?, description = ?, tags = ? WHERE doc = ?"
        ).execute(arguments: [sourceHash, columns.description, columns.tags, stored.doc])
      }
      return try accept(merchant, id, hash: hash, &run, db)
    }
    if let stored {
      run.summary.updated += 1
      if !options.dryRun {
        try keepTranslation(
          doc: stored.doc, storedLanguage: stored.language, record: record, db)
      }
    } else {
      run.summary.inserted += 1
    }
    if !options.dryRun {
      try write(
        record, merchant: merchant, line: line, hash: hash, source: sourceHash,
        columns: columns, run, update: stored != nil)
    }
    try accept(merchant, id, hash: hash, &run, db)
  }

  /// A stored product as the import compares it, read by column name.
  struct StoredProduct {
    var contentHash: Int64
    var attributeMask: Int64
    var attributes: String
    var sourceHash: Int64
    var doc: Int64
    var language: String?

    init(row: Row) {
      contentHash = row["content_hash"]
      attributeMask = row["attribute_mask"]
      attributes = row["attributes"]
      sourceHash = row["source_hash"]
      doc = row["doc"]
      language = row["language"]
    }
  }

  /// With `--mode replace`, removes the products of the merchants the feed speaks for that it
  /// no longer lists.
  func removeAbsent(_ run: inout Run, _ db: Database) throws {
    guard options.mode == .replace else { return }
    for merchant in feed.merchant.map({ [$0] }) ?? run.feedMerchants.sorted() {
      let ids = try String.fetchAll(
        db, sql: "SELECT id FROM product WHERE merchant_id = ?", arguments: [merchant])
      for id in ids where !run.seen.contains(merchant + "\u{0}" + id) {
        run.summary.removed += 1
        if !options.dryRun { _ = try removeProduct(merchant, id, db) }
      }
    }
  }

  /// Deletes one product (its triggers take it out of the index and the journal); whether it
  /// was there.
  func removeProduct(_ merchant: String, _ id: String, _ db: Database) throws -> Bool {
    try db.cachedStatement(sql: "DELETE FROM product WHERE merchant_id = ? AND id = ?")
      .execute(arguments: [merchant, id])
    return db.changesCount > 0
  }
}
