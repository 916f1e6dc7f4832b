import MktCore

extension ECBRateFile {
  /// What the bytes of a rates download are.
  enum Kind {
    case xml, csv, zip
    case other(String)
  }

  /// Tells a rates file from what else a download can be: the ECB's XML, its CSV, the ZIP
  /// archive holding the CSV, or an HTML page, a PDF, a gzip file named for what it is.
  static func kind(of bytes: [UInt8]) -> Kind {
    if ZipArchive.isZip(bytes) { return .zip }
    var start = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
    let head = String(decoding: bytes[start..<min(bytes.count, start + 512)], as: UTF8.self)
      .lowercased()
    if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") { return .other("an HTML page") }
    if head.hasPrefix("<") { return .xml }
    if head.hasPrefix("date,") || head.hasPrefix("date ,") { return .csv }
    if head.hasPrefix("%pdf") { return .other("a PDF document") }
    if bytes.starts(with: [0x1F, 0x8B]) { return .other("a gzip file (unpack it first)") }
    if head.isEmpty { return .other("an empty file") }
    return .other("neither XML, CSV nor ZIP")
  }

  /// The ECB's CSV: `Date, USD, JPY, …`, then one day per row.
  ///
  /// `N/A` where a currency had no rate, a trailing comma on every line. Days are `2025-02-03` (the history) or
  /// `03 February 2025` (the daily file).
  static func parseCSV(_ bytes: [UInt8], file: String, latest: String) throws(FeedError) -> [Rate] {
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? $0.dropLast() : $0
    }
    while let last = lines.last, last.trimmingSpaces.isEmpty { lines.removeLast() }
    guard let header = lines.first else {
      throw .notRates(InputLocation(file: file), found: "an empty file")
    }
    let currencies = header.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0.trimmingSpaces)
    }
    for (index, code) in currencies.enumerated().dropFirst() where !code.isEmpty {
      guard code.utf8.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
        throw .badRatesCSV(
          InputLocation(file: file, line: 1, column: index + 1),
          message: "column '\(code)' is not an ISO 4217 currency code")
      }
    }
    var rates: [Rate] = []
    var seenDays = Set<String>()
    for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingSpaces.isEmpty {
      let number = offset + 1
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
        String($0.trimmingSpaces)
      }
      guard let day = Self.day(cells.first ?? "") else {
        throw .badRatesCSV(
          InputLocation(file: file, line: number, column: 1),
          message: "'\(cells.first ?? "")' is not a day (2025-02-03 or 03 February 2025)")
      }
      guard day >= firstDay, day <= latest else {
        throw .badRatesCSV(
          InputLocation(file: file, line: number, column: 1),
          message: "day \(day) is outside the ECB's rates (\(firstDay) to \(latest))")
      }
      guard seenDays.insert(day).inserted else {
        throw .badRatesCSV(
          InputLocation(file: file, line: number, column: 1),
          message: "day \(day) is given twice")
      }
      for (index, cell) in cells.enumerated().dropFirst() where !cell.isEmpty && cell != "N/A" {
        guard index < currencies.count, !currencies[index].isEmpty else {
          throw .badRatesCSV(
            InputLocation(file: file, line: number, column: index + 1),
            message: "the row has more cells than the header has currencies")
        }
        guard let rate = ExactDecimal(cell), rate.significand > 0 else {
          throw .badRatesCSV(
            InputLocation(file: file, line: number, column: index + 1),
            message: "rate '\(cell)' for \(currencies[index]) on \(day) is not a positive number")
        }
        rates.append(Rate(day: day, currency: currencies[index], rate: rate, line: number))
      }
    }
    guard !rates.isEmpty else {
      throw .notRates(InputLocation(file: file), found: "a CSV file without rates")
    }
    return rates
  }

  private static let months = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
  ]

  /// `2025-02-03`, or `03 February 2025` as the daily file writes it, as `2025-02-03`.
  static func day(_ text: String) -> String? {
    if isDay(text) { return text }
    let parts = text.split(separator: " ")
    guard parts.count == 3, let dayOfMonth = Int(parts[0]), let year = Int(parts[2]),
      let month = months.firstIndex(of: parts[1].lowercased())
    else { return nil }
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let day = "\(year)-\(two(month + 1))-\(two(dayOfMonth))"
    return isDay(day) ? day : nil
  }
}
