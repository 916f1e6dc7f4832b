import Foundation
import GRDB
import Importers
public import MktCore
import Store

extension CatalogService {
  /// What an import of translations did.
  public struct TranslationSummary: Sendable, Equatable, Encodable {
    public var source: String
    public var rows: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var dryRun: Bool
    public var issues: [RowIssue]

    enum CodingKeys: String, CodingKey {
      case source, rows, inserted, updated, unchanged, rejected, issues
      case dryRun = "dry_run"
    }

    public var line: String {
      "\(rows) row\(rows == 1 ? "" : "s"): \(dryRun ? "would insert" : "inserted") \(inserted), "
        + "updated \(updated), unchanged \(unchanged), rejected \(rejected)"
    }
  }

  /// One translation row, validated.
  struct TranslationRow {
    var merchant: String?
    var id: String
    var language: String
    var field: String
    var text: String
    var location: InputLocation
  }

  /// Stores per-language product titles and descriptions from a CSV
  /// (`id,language,field,text[,merchant_id]`) or JSON lines with those keys, in one
  /// transaction, under the import contract (`--dry-run`, `--max-errors`).
  ///
  /// A description may be HTML: it is stored as plain text, as feeds' descriptions are.
  ///
  /// `confined` (a merchant's token on `mkt serve`): rows naming another `merchant_id` are
  /// rejected exactly as rows for a product that does not exist.
  public func importTranslations(
    bytes: [UInt8], source: String, merchant: String?, options: ImportOptions,
    confined: Bool = false
  ) async throws -> TranslationSummary {
    var issues: [RowIssue] = []
    var rows: [TranslationRow] = []
    try Self.readTranslationRows(bytes: bytes, source: source) { cells, line in
      switch Self.translationRow(cells, line: line, merchant: merchant, confined: confined) {
      case .success(let row): rows.append(row)
      case .failure(let issue): issues.append(issue)
      }
    }
    let total = rows.count + issues.count
    let (parsed, found) = (rows, issues)
    let counted = try await store.write { db -> TranslationCounts in
      var counts = TranslationCounts()
      for row in parsed {
        try Self.storeTranslation(row, dryRun: options.dryRun, &counts, db)
      }
      let all = found + counts.rejected
      if all.count > options.maxErrors {
        throw ImportError.tooManyErrors(
          source: source, rejected: all.count, maxErrors: options.maxErrors,
          issues: all.sorted(by: RowIssue.inInputOrder))
      }
      return counts
    }
    return TranslationSummary(
      source: source, rows: total, inserted: counted.inserted, updated: counted.updated,
      unchanged: counted.unchanged, rejected: issues.count + counted.rejected.count,
      dryRun: options.dryRun, issues: (issues + counted.rejected).sorted(by: RowIssue.inInputOrder))
  }

  /// One line's cells as a translation row, or the issue that rejects it.
  ///
  /// `confined`: a row naming another merchant than `merchant` is rejected as a row for a
  /// product that does not exist.
  private static func translationRow(
    _ cells: [String: (String, InputLocation)]?, line: InputLocation, merchant: String?,
    confined: Bool
  ) -> Result<TranslationRow, RowIssue> {
    guard let cells else {
      return .failure(
        RowIssue(location: line, rule: "invalid-json", message: "the line is not a JSON object"))
    }
    func value(_ key: String) -> String { cells[key].map { String($0.0.trimmingSpaces) } ?? "" }
    func reject(
      _ key: String, _ rule: String, _ message: String
    ) -> Result<TranslationRow, RowIssue> {
      .failure(
        RowIssue(
          location: cells[key]?.1 ?? line, rule: rule, message: message,
          rawValue: cells[key]?.0))
    }
    let id = value("id")
    let language = value("language").prefix(2).lowercased()
    let field = value("field").lowercased()
    var text = value("text")
    let owner = value("merchant_id").isEmpty ? merchant : value("merchant_id")
    if id.isEmpty { return reject("id", "missing-id", "a translation names the product id") }
    if confined, let owner, owner != merchant {
      return .failure(
        RowIssue(
          location: line, rule: "unknown-product",
          message: "no product \(id) of merchant \(owner)", rawValue: id))
    }
    guard language.count == 2, language.allSatisfy({ $0.isLetter && $0.isASCII }),
      value("language").count == 2 || value("language").dropFirst(2).first == "-"
        || value("language").dropFirst(2).first == "_"
    else {
      return reject("language", "invalid-language", "a language is two letters: de, fr, nl")
    }
    guard field == "title" || field == "description" else {
      return reject("field", "invalid-field", "field is title or description")
    }
    if field == "description" { text = PlainText.from(html: text) }
    guard !text.isEmpty else { return reject("text", "empty-text", "the text is empty") }
    let limit = field == "title" ? 150 : 5000
    guard text.count <= limit else {
      return reject(
        "text", "too-long", "a \(field) has at most \(limit) characters (\(text.count))")
    }
    return .success(
      TranslationRow(
        merchant: owner, id: id, language: language, field: field, text: text, location: line))
  }

  /// What storing the rows of a translations import did, and the rows it rejected.
  private struct TranslationCounts: Sendable {
    var inserted = 0
    var updated = 0
    var unchanged = 0
    var rejected: [RowIssue] = []
  }

  /// Compares one row with the stored translation and counts it as inserted, updated or
  /// unchanged (or rejected, with its issue); writes it unless `dryRun`.
  private static func storeTranslation(
    _ row: TranslationRow, dryRun: Bool, _ counts: inout TranslationCounts, _ db: Database
  ) throws {
    let doc: Int64
    switch try translatedProduct(row, db) {
    case .success(let found): doc = found
    case .failure(let issue):
      counts.rejected.append(issue)
      return
    }
    let existing = try Row.fetchOne(
      db,
      sql: "SELECT title, description FROM product_translation WHERE doc = ? AND language = ?",
      arguments: [doc, row.language])
    let column = row.field == "title" ? "title" : "description"
    let current: String? = existing?[column]
    if current == row.text {
      counts.unchanged += 1
      return
    }
    if existing == nil { counts.inserted += 1 } else { counts.updated += 1 }
    guard !dryRun else { return }
    try db.execute(
      sql: """
        INSERT INTO product_translation (doc, language, title, description)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (doc, language) DO UPDATE SET \(column) = excluded.\(column)
        """,
      arguments: [
        doc, row.language, row.field == "title" ? row.text : "",
        row.field == "title" ? "" : row.text,
      ])
  }

  /// The stored product (`doc`) a row translates, or the issue that rejects the row: no such
  /// product, an id several merchants use, or a product whose feed is in the row's language.
  private static func translatedProduct(
    _ row: TranslationRow, _ db: Database
  ) throws -> Result<Int64, RowIssue> {
    let products = try Row.fetchAll(
      db,
      sql: "SELECT doc, language FROM product WHERE id = ?"
        + (row.merchant == nil ? "" : " AND merchant_id = ?") + " LIMIT 2",
      arguments: StatementArguments([row.id] + (row.merchant.map { [$0] } ?? [])))
    guard products.count == 1, let doc = products[0]["doc"] as Int64? else {
      return .failure(
        RowIssue(
          location: row.location, rule: products.isEmpty ? "unknown-product" : "ambiguous-id",
          message: products.isEmpty
            ? "no product \(row.id)\(row.merchant.map { " of merchant \($0)" } ?? "")"
            : "product id \(row.id) is used by several merchants: give merchant_id or --merchant",
          rawValue: row.id))
    }
    if let own = products[0]["language"] as String?, own == row.language {
      return .failure(
        RowIssue(
          location: row.location, rule: "feed-language",
          message: "the product's feed is in \(own): change the feed instead", rawValue: row.id))
    }
    return .success(doc)
  }

  /// Calls `add` with each data row's cells by lower-case column name.
  static func readTranslationRows(
    bytes: [UInt8], source: String,
    _ add: ([String: (String, InputLocation)]?, InputLocation) -> Void
  ) throws {
    let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    if first == UInt8(ascii: "{") {
      var line = 0
      for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        line += 1
        let at = InputLocation(file: source, line: line)
        guard slice.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
        guard let object = try? JSONSerialization.jsonObject(with: Data(slice)) as? [String: Any]
        else {
          add(nil, at)
          continue
        }
        var cells: [String: (String, InputLocation)] = [:]
        for (key, value) in object {
          cells[key.lowercased()] = (
            "\(value)", InputLocation(file: source, line: line, field: key)
          )
        }
        add(cells, at)
      }
      return
    }
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: source))
    guard let header = try reader.next() else { return }
    let names = CSVHeader(header.fields).names
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      var cells: [String: (String, InputLocation)] = [:]
      for (index, name) in names.enumerated() where index < record.fields.count {
        cells[name] = (
          record.fields[index],
          InputLocation(file: source, line: record.line, column: index + 1, field: name)
        )
      }
      add(cells, InputLocation(file: source, line: record.line))
    }
  }
}
