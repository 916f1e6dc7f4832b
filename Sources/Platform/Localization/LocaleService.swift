import Foundation
import GRDB
import Importers
import MktCore
public import Store

/// The country table in force: the shipped one with the overrides stored by
/// `mkt locale import`.
public struct LocaleService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// All 25 countries, overrides applied, in DESIGN.md's order.
  public func countries() async throws -> [Country] {
    let overrides = try await store.read { db in
      try Row.fetchAll(db, sql: "SELECT code, country FROM country_override").map {
        (code: $0["code"] as String, json: $0["country"] as String)
      }
    }
    var table = CountryTable.shipped
    for override in overrides {
      guard let index = table.firstIndex(where: { $0.code.rawValue == override.code }),
        let country = try? JSONDecoder().decode(Country.self, from: Data(override.json.utf8))
      else { continue }
      table[index] = country
    }
    return table
  }

  /// One country, overrides applied.
  ///
  /// - Throws: ``LocalizationError/unknownCountry(_:)`` listing the valid codes.
  public func country(_ text: String) async throws -> Country {
    guard let code = CountryCode(text) else { throw LocalizationError.unknownCountry(text) }
    return try await countries().first { $0.code == code } ?? CountryTable.shipped(code)
  }

  /// What an override import did.
  public struct ImportSummary: Sendable, Equatable, Encodable {
    public var source: String
    public var rows: Int
    public var changed: [String]
    public var unchanged: Int
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
      case source, rows, changed, unchanged
      case dryRun = "dry_run"
    }

    public var line: String {
      "\(rows) row\(rows == 1 ? "" : "s"): \(dryRun ? "would change" : "changed") "
        + "\(changed.isEmpty ? "nothing" : changed.joined(separator: " ")), unchanged \(unchanged)"
    }
  }

  /// The columns an override file may have besides `code`.
  public static let overrideColumns = [
    "name", "native_name", "default_locale", "locales", "languages", "translation_fallback",
    "cash_rounding", "vat_valid_from", "vat_standard", "vat_reduced",
  ]

  /// Applies a CSV of country overrides — `code` plus any of ``overrideColumns`` (lists
  /// separated by spaces; a blank cell keeps the value) — all rows or none.
  ///
  /// `vat_valid_from` with `vat_standard` (and optionally `vat_reduced`) adds or replaces a VAT
  /// period starting that day: a rate change announced after this mkt was released.
  ///
  /// - Throws: ``LocalizationError/invalidRows(_:)`` listing every bad cell by file:line:column.
  public func importOverrides(bytes: [UInt8], source: String, dryRun: Bool = false) async throws
    -> ImportSummary
  {
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: source))
    let (header, codeColumn, issues) = try Self.readOverrideHeader(reader, source: source)
    let current = Dictionary(uniqueKeysWithValues: try await countries().map { ($0.code, $0) })
    var rows = OverrideRows(current: current, issues: issues)
    try Self.applyOverrideRows(reader, header, codeColumn: codeColumn, source: source, &rows)
    guard rows.issues.isEmpty else { throw LocalizationError.invalidRows(rows.issues) }
    let changed = try await changedCountries(rows.touched)
    if !dryRun, !changed.isEmpty {
      try await storeOverrides(changed, source: source)
    }
    return ImportSummary(
      source: source, rows: rows.count, changed: changed.map(\.key.rawValue),
      unchanged: rows.touched.count - changed.count, dryRun: dryRun)
  }

  /// Reads an override file's header: its columns, where `code` is, and an issue for each
  /// column that is neither `code` nor one of ``overrideColumns``.
  ///
  /// - Throws: ``LocalizationError/invalidRows(_:)`` when the file is empty or has no `code`
  ///   column.
  private static func readOverrideHeader(_ reader: CSVReader, source: String) throws
    -> (header: CSVHeader, codeColumn: Int, issues: [RowIssue])
  {
    guard let headerRecord = try reader.next() else {
      throw LocalizationError.invalidRows([
        RowIssue(
          location: InputLocation(file: source, line: 1), rule: "empty-file",
          message: "the file is empty (expected a header: code,…)")
      ])
    }
    let header = CSVHeader(headerRecord.fields)
    var issues: [RowIssue] = []
    guard let codeColumn = header.index(of: "code") else {
      throw LocalizationError.invalidRows([
        RowIssue(
          location: InputLocation(file: source, line: 1), rule: "missing-column",
          message: "the header needs a code column")
      ])
    }
    for (index, name) in header.names.enumerated()
    where name != "code" && !Self.overrideColumns.contains(name) {
      issues.append(
        RowIssue(
          location: InputLocation(file: source, line: 1, column: index + 1),
          rule: "unknown-column",
          message:
            "unknown column \(headerRecord.fields[index]) (known: code, "
            + Self.overrideColumns.joined(separator: ", ") + ")"))
    }
    return (header, codeColumn, issues)
  }

  /// The countries as an override file's rows change them, and what the rows found.
  private struct OverrideRows {
    /// Every country, with the rows read so far applied.
    var current: [CountryCode: Country]
    /// The countries the rows name, as they change them.
    var touched: [CountryCode: Country] = [:]
    /// The data rows read.
    var count = 0
    var issues: [RowIssue]
  }

  /// Applies each data row of an override file to its country in `rows`.
  private static func applyOverrideRows(
    _ reader: CSVReader, _ header: CSVHeader, codeColumn: Int, source: String,
    _ rows: inout OverrideRows
  ) throws {
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      rows.count += 1
      var cells: [String: (value: String, at: InputLocation)] = [:]
      for (index, name) in header.names.enumerated() {
        let value = index < record.fields.count ? String(record.fields[index].trimmingSpaces) : ""
        if !value.isEmpty {
          cells[name] = (
            value,
            InputLocation(file: source, line: record.line, column: index + 1, field: name)
          )
        }
      }
      let codeText = codeColumn < record.fields.count ? record.fields[codeColumn] : ""
      guard let code = CountryCode(codeText), var country = rows.current[code] else {
        rows.issues.append(
          RowIssue(
            location: InputLocation(
              file: source, line: record.line, column: codeColumn + 1, field: "code"),
            rule: "unknown-country",
            message: "not one of the 25 countries (\(CountryCode.validList))", rawValue: codeText))
        continue
      }
      rows.issues += Self.apply(cells, to: &country)
      rows.current[code] = country
      rows.touched[code] = country
    }
  }

  /// The touched countries that differ from the table in force, by code.
  private func changedCountries(_ touched: [CountryCode: Country]) async throws
    -> [(key: CountryCode, value: Country)]
  {
    let before = Dictionary(uniqueKeysWithValues: try await countries().map { ($0.code, $0) })
    return touched.filter { before[$0.key] != $0.value }.sorted { $0.key < $1.key }
  }

  /// Stores the changed countries in one transaction: an override for each, or none for a
  /// country that is the shipped one again.
  private func storeOverrides(
    _ changed: [(key: CountryCode, value: Country)], source: String
  ) async throws {
    let shipped = Dictionary(uniqueKeysWithValues: CountryTable.shipped.map { ($0.code, $0) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let rows = try changed.map {
      (
        $0.key.rawValue, String(decoding: try encoder.encode($0.value), as: UTF8.self),
        shipped[$0.key] == $0.value
      )
    }
    try await store.write { db in
      for (code, json, isShipped) in rows {
        if isShipped {
          try db.execute(sql: "DELETE FROM country_override WHERE code = ?", arguments: [code])
        } else {
          try db.execute(
            sql: """
              INSERT INTO country_override (code, country, source) VALUES (?, ?, ?)
              ON CONFLICT (code) DO UPDATE SET country = excluded.country,
                source = excluded.source, updated_at = excluded.updated_at
              """, arguments: [code, json, source])
        }
      }
    }
  }

  /// Applies one row's cells to `country`; the problems found.
  static func apply(
    _ cells: [String: (value: String, at: InputLocation)], to country: inout Country
  ) -> [RowIssue] {
    var issues: [RowIssue] = []
    func issue(_ name: String, _ rule: String, _ message: String) {
      guard let cell = cells[name] else { return }
      issues.append(
        RowIssue(location: cell.at, rule: rule, message: message, rawValue: cell.value))
    }
    func list(_ name: String) -> [String]? {
      cells[name].map { $0.value.split(separator: " ").map(String.init) }
    }
    if let name = cells["name"]?.value { country.name = name }
    if let name = cells["native_name"]?.value { country.nativeName = name }
    if let locales = list("locales") {
      if let bad = locales.first(where: { (try? LocaleFormat($0)) == nil }) {
        issue("locales", "unknown-locale", "\(bad) is not a shipped locale")
      } else {
        country.locales = locales.compactMap { try? LocaleFormat($0).id }
      }
    }
    if let locale = cells["default_locale"]?.value {
      if let format = try? LocaleFormat(locale) {
        country.defaultLocale = format.id
        if !country.locales.contains(format.id) { country.locales.insert(format.id, at: 0) }
      } else {
        issue("default_locale", "unknown-locale", "not a shipped locale")
      }
    }
    func languages(_ name: String) -> [String]? {
      guard let values = list(name) else { return nil }
      guard values.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isLowercase) }) else {
        issue(name, "invalid-language", "languages are two lower-case letters, space-separated")
        return nil
      }
      return values
    }
    if let values = languages("languages") { country.languages = values }
    if let values = languages("translation_fallback") { country.translationFallback = values }
    if let text = cells["cash_rounding"]?.value {
      if let value = Int(text), [1, 5, 10, 50, 100].contains(value) {
        country.cashRounding = value
      } else {
        issue(
          "cash_rounding", "invalid-rounding", "an increment in minor units: 1, 5, 10, 50 or 100")
      }
    }
    let vatColumns = ["vat_valid_from", "vat_standard", "vat_reduced"].filter { cells[$0] != nil }
    if !vatColumns.isEmpty {
      let day = cells["vat_valid_from"]?.value
      let standard = cells["vat_standard"].flatMap { Percentage(percent: $0.value) }
      let reduced = list("vat_reduced")?.map { Percentage(percent: $0) }
      if day == nil || !ECBRateFile.isDay(day ?? "") {
        issues.append(
          RowIssue(
            location: cells[vatColumns[0]]?.at ?? InputLocation(), rule: "invalid-vat",
            message: "a VAT change needs vat_valid_from as YYYY-MM-DD",
            rawValue: cells["vat_valid_from"]?.value))
      } else if cells["vat_standard"] == nil {
        issues.append(
          RowIssue(
            location: cells["vat_valid_from"]?.at ?? InputLocation(), rule: "invalid-vat",
            message: "a VAT change needs vat_standard"))
      } else if standard == nil || !(0...1_000_000).contains(standard?.millionths ?? -1) {
        issue("vat_standard", "invalid-vat", "vat_standard is a percentage such as 21 or 25.5")
      } else if let reduced, reduced.contains(where: { $0 == nil }) {
        issue("vat_reduced", "invalid-vat", "vat_reduced is space-separated percentages")
      } else if let day, let standard {
        let period = Country.VATPeriod(
          validFrom: day, standard: standard,
          reduced: (reduced?.compactMap { $0 } ?? country.vat(on: day).reduced).sorted(by: >))
        country.vat.removeAll { $0.validFrom == day }
        country.vat.append(period)
        country.vat.sort { $0.validFrom < $1.validFrom }
      }
    }
    return issues
  }
}
