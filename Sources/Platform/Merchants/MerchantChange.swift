import Importers
import MktCore

/// What one CSV row asks for: for each field, keep the stored value, clear it, or set it.
struct MerchantChange: Sendable {
  enum Field<Value: Sendable & Equatable>: Sendable, Equatable {
    case keep
    case clear
    case set(Value)
  }

  var location: InputLocation
  var id: String
  var name: Field<String> = .keep
  var country: Field<CountryCode> = .keep
  var currency: Field<CurrencyCode> = .keep
  var priceBasis: Field<PriceBasis> = .keep
  var domain: Field<String> = .keep

  /// The merchant this change makes: from `existing` in an update, from scratch in an insert.
  func applied(to existing: Merchant?) -> Result<Merchant, RowIssue> {
    func missing(_ field: String, _ message: String) -> Result<Merchant, RowIssue> {
      var location = location
      location.field = field
      return .failure(RowIssue(location: location, rule: "missing-\(field)", message: message))
    }
    let name: String
    switch (self.name, existing) {
    case (.set(let value), _): name = value
    case (.keep, let existing?): name = existing.name
    case (.clear, _) where existing != nil: return missing("name", "the name cannot be cleared")
    default: return missing("name", "a new merchant needs a name")
    }
    let country: CountryCode
    switch (self.country, existing) {
    case (.set(let value), _): country = value
    case (.keep, let existing?): country = existing.country
    case (.clear, _) where existing != nil:
      return missing("country", "the country cannot be cleared")
    default: return missing("country", "a new merchant needs a country")
    }
    var merchant = Merchant(id: id, name: name, country: country)
    switch currency {
    case .set(let value): merchant.currency = value
    case .keep: merchant.currency = existing?.currency ?? country.currency
    case .clear: merchant.currency = country.currency
    }
    switch priceBasis {
    case .set(let value): merchant.priceBasis = value
    case .keep: merchant.priceBasis = existing?.priceBasis ?? .gross
    case .clear: merchant.priceBasis = .gross
    }
    switch domain {
    case .set(let value): merchant.domain = value
    case .keep: merchant.domain = existing?.domain
    case .clear: merchant.domain = nil
    }
    merchant.createdAt = existing?.createdAt
    merchant.updatedAt = existing?.updatedAt
    return .success(merchant)
  }
}

/// Reads a merchants CSV into changes and row issues; pure, no database.
struct MerchantCSV {
  var changes: [MerchantChange] = []
  var issues: [RowIssue] = []
  var rows = 0

  /// Reads every row of `source`.
  ///
  /// Structural problems (an unclosed quote, bad UTF-8, a bad header)
  /// throw; problems with one row become ``issues``.
  init(source: ByteSource, options: ImportOptions, progress: (@Sendable (Int) -> Void)?) throws {
    let reader = CSVReader(source: source)
    guard let headerRecord = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
    let header = CSVHeader(headerRecord.fields)
    let columns = try Self.columns(header, file: source.name, mode: options.mode)
    var firstLine: [String: Int] = [:]

    while let record = try reader.next() {
      rows += 1
      if rows % 4096 == 0 { progress?(reader.bytesRead) }
      let here = InputLocation(file: source.name, line: record.line)
      guard record.fields.count == header.names.count else {
        issues.append(
          RowIssue(
            location: here, rule: "ragged-row",
            message: "the row has \(record.fields.count) fields, the header has "
              + "\(header.names.count)"))
        continue
      }
      func at(_ field: String) -> InputLocation {
        var location = here
        location.column = columns[field].map { $0 + 1 }
        location.field = field
        return location
      }
      guard let idColumn = columns["id"] else { continue }
      let id: String
      switch MerchantFields.id(record.fields[idColumn], at: at("id")) {
      case .success(let value): id = value
      case .failure(let issue):
        issues.append(issue)
        continue
      }
      if let line = firstLine[id] {
        var location = at("id")
        location.id = id
        issues.append(
          RowIssue(
            location: location, rule: "duplicate-id",
            message: "merchant \(id) is already on line \(line)", rawValue: id))
        continue
      }
      firstLine[id] = record.line
      var change = MerchantChange(
        location: InputLocation(file: source.name, line: record.line, id: id), id: id)
      var rowIssues: [RowIssue] = []
      func field<Value>(
        _ name: String, _ parse: (String, InputLocation) -> Result<Value, RowIssue>
      ) -> MerchantChange.Field<Value> {
        guard let column = columns[name] else { return .keep }
        let raw = record.fields[column]
        if raw == EmptyCellPolicy.clearMarker { return .clear }
        if raw.trimmingSpaces.isEmpty { return options.emptyCells == .clear ? .clear : .keep }
        var location = at(name)
        location.id = id
        switch parse(raw, location) {
        case .success(let value): return .set(value)
        case .failure(let issue):
          rowIssues.append(issue)
          return .keep
        }
      }
      change.name = field("name", MerchantFields.name)
      change.country = field("country", MerchantFields.country)
      change.currency = field("currency", MerchantFields.currency)
      change.priceBasis = field("prices", MerchantFields.priceBasis)
      change.domain = field("domain", MerchantFields.domain)
      if rowIssues.isEmpty {
        changes.append(change)
      } else {
        issues.append(contentsOf: rowIssues)
      }
    }
    progress?(reader.bytesRead)
  }

  /// Maps known columns to their index; an unknown or repeated column is an error, as is a
  /// missing `id` (or `name`, `country` outside delete mode).
  private static func columns(_ header: CSVHeader, file: String, mode: ImportMode)
    throws(MerchantError)
    -> [String: Int]
  {
    var columns: [String: Int] = [:]
    for (index, name) in header.names.enumerated() {
      let here = InputLocation(file: file, line: 1, column: index + 1, field: header.raw[index])
      let name = name == "price_basis" ? "prices" : name
      guard MerchantFields.columns.contains(name) else {
        throw .badHeader(here, reason: "unknown column '\(header.raw[index])'")
      }
      guard columns[name] == nil else {
        throw .badHeader(here, reason: "the column '\(header.raw[index])' appears twice")
      }
      columns[name] = index
    }
    let required = mode == .delete ? ["id"] : ["id", "name", "country"]
    for name in required where columns[name] == nil {
      throw .badHeader(
        InputLocation(file: file, line: 1), reason: "the header has no '\(name)' column")
    }
    return columns
  }
}
