import Foundation
import GRDB
import Importers
import MktCore

/// One feed item on its way from the reader to the catalog.
struct ImportItem: Sendable {
  var record: ProductRecord
  /// The attributes the row clears with `__EMPTY__`.
  var cleared: Int64
  /// The hash of the row as written, for the unchanged fast path.
  var sourceHash: Int64
  /// Set when the item cannot go in at all: no merchant, or another one than `--merchant`.
  var rejection: RowIssue?
  /// Set by an eager stage: the validation and the row to write.
  var prepared: PreparedRow?
}

/// An item validated and normalised ahead of the writer.
///
/// The typed columns are left to the writer: the read-ahead thread is the slower of the two.
struct PreparedRow: Sendable {
  var errors: [RowIssue]
  var line: String
  var hash: Int64
}

/// The typed columns written beside a product's canonical line.
struct ProductColumns: Sendable {
  var priceMinor: Int64?
  var salePriceMinor: Int64?
  var currency: String?
  var availability: String?
  var description: String
  var tags: String

  init(_ record: ProductRecord, decimalComma: Bool) {
    let price = try? FeedPrice.parse(record[.price], decimalComma: decimalComma).get()
    let sale = try? FeedPrice.parse(record[.salePrice], decimalComma: decimalComma).get()
    priceMinor = price?.minorUnits
    salePriceMinor = sale?.minorUnits
    currency = price?.currency ?? sale?.currency
    self.availability = Self.enumeration(record[.availability])
    description = PlainText.from(html: record[.description])
    tags = SearchText.tags(record)
  }
}

extension ProductColumns {
  /// `In Stock` → `in_stock`; `nil` for an empty value.
  static func enumeration(_ value: String) -> String? {
    guard !value.isEmpty else { return nil }
    guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
      return value.lowercased().replacingOccurrences(of: " ", with: "_")
    }
    // ASCII: lowercased and spaces replaced byte by byte, without Foundation.
    return String(
      decoding: value.utf8.map { byte in
        byte == 0x20 ? UInt8(ascii: "_") : (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
      }, as: UTF8.self)
  }
}

/// The import's first stage, which needs no database.
///
/// Merchant checks, clear markers, the source hash and, when `eager`, validation and the
/// canonical line. Runs on the read-ahead thread.
struct ImportStage: Sendable {
  let merchants: Set<String>
  let forcedMerchant: String?
  let seed: UInt64
  /// Validate and normalise here: right when nothing stored can change the verdict (the
  /// merchants have no products yet), so that the writer only writes.
  let eager: Bool
  /// Unknown merchants are created by the writer (`--create-merchants`), not rejected.
  let createMerchants: Bool
  var validator: FeedValidator
  let normalizer = FeedNormalizer()

  init(
    merchants: Set<String>, forcedMerchant: String?, seed: UInt64, decimalComma: Bool,
    eager: Bool, createMerchants: Bool, dryRun: Bool
  ) {
    self.createMerchants = createMerchants
    self.merchants = merchants
    self.forcedMerchant = forcedMerchant
    self.seed = seed
    self.eager = eager
    validator = FeedValidator(decimalComma: decimalComma)
    // Eager items are all new: the writer's insert meets a duplicate id at the unique key
    // (merchant_id, id). A dry run inserts nothing, so it keeps the ids itself.
    validator.tracksIDs = !eager || dryRun
  }

  mutating func prepare(_ record: ProductRecord) -> ImportItem {
    var record = record
    let cleared = record.takeClearMarkers()
    var item = ImportItem(
      record: record, cleared: cleared, sourceHash: record.sourceHash(seed: seed))
    let merchant = record[.merchantID]
    if let forcedMerchant, merchant != forcedMerchant {
      item.rejection = rejection(
        record, "merchant-mismatch",
        "the item belongs to merchant \(merchant), not \(forcedMerchant)")
    } else if !merchants.contains(merchant) && (!createMerchants || merchant.isEmpty) {
      item.rejection = rejection(
        record, "unknown-merchant",
        merchant.isEmpty
          ? "the item names no merchant (pass --merchant, or give a merchant_id column)"
          : "no merchant \(merchant) (add it with `mkt merchant add` or `mkt merchant import`, "
            + "or import with --create-merchants)")
    } else if eager {
      let errors = validator.validate(record).filter { $0.severity == .error }
      let line = errors.isEmpty ? normalizer.line(for: record) : ""
      item.prepared = PreparedRow(
        errors: errors, line: line, hash: errors.isEmpty ? ContentHash.of(line) : 0)
    }
    return item
  }

  private func rejection(_ record: ProductRecord, _ rule: String, _ message: String) -> RowIssue {
    Self.issue(record, field: .merchantID, rule: rule, message: message)
  }

  /// A finding of the import itself on `record`'s `field` (not a feed rule's): where the item
  /// is, its id, and the field's value as written.
  static func issue(
    _ record: ProductRecord, field: Attribute, rule: String, message: String
  ) -> RowIssue {
    var location = record.location
    location.item = record.item
    location.id = record.id.isEmpty ? nil : record.id
    location.field = field.name
    return RowIssue(location: location, rule: rule, message: message, rawValue: record[field])
  }
}
