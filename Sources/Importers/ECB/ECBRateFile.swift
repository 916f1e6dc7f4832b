import Foundation
public import MktCore

/// A European Central Bank reference-rate file (`eurofxref-daily.xml`, `eurofxref-hist.xml`):
/// a `gesmes:Envelope` whose `Cube time="…"` elements hold `Cube currency="…" rate="…"`, each
/// rate the units of that currency one euro buys.
///
/// Read with libxml2's streaming reader under the same hardening as feeds (no network, no
/// entity substitution, DOCTYPE and entity references refused: RELIABILITY.md §3).
public struct ECBRateFile: Sendable {
  /// One reference rate, with the line it was read from.
  public struct Rate: Sendable, Equatable {
    /// The day, `YYYY-MM-DD`.
    public var day: String
    /// The ISO 4217 code, upper case.
    public var currency: String
    /// Units of the currency per euro, exactly as published.
    public var rate: ExactDecimal
    /// The line of its `Cube` element.
    public var line: Int
  }

  /// Every rate, in file order.
  public var rates: [Rate]
  /// The distinct days, newest first.
  public var days: [String] {
    Array(Set(rates.map(\.day))).sorted(by: >)
  }

  /// Parses `bytes` read from `file`.
  ///
  /// - Throws: ``FeedError`` with file:line for malformed XML, a forbidden construct, a `Cube`
  ///   with a missing or invalid time, currency or rate, or a file with no rates at all.
  ///   A day must exist in the calendar and lie between the euro's first reference rate
  ///   (1999-01-04) and `latest` (default: tomorrow, UTC); a currency given twice for one day
  ///   with different rates is refused at the second.
  public init(bytes: [UInt8], file: String, latest: String? = nil) throws(FeedError) {
    rates = try Self.rates(in: bytes, file: file, latest: latest ?? Self.tomorrow())
  }

  /// The rates of an XML, CSV or ZIP download, whichever `bytes` are.
  private static func rates(
    in bytes: [UInt8], file: String, latest: String, inArchive: Bool = false
  ) throws(FeedError) -> [Rate] {
    switch kind(of: bytes) {
    case .zip where inArchive:
      throw .notRates(InputLocation(file: file), found: "a ZIP archive inside a ZIP archive")
    case .zip:
      // eurofxref.zip and eurofxref-hist.zip hold one CSV file.
      let inner: (name: String, bytes: [UInt8])
      do {
        inner = try ZipArchive.entry(in: bytes, named: ".csv", file: file, limit: 256 << 20)
      } catch {
        throw .notRates(InputLocation(file: file), found: "a damaged ZIP archive (\(error))")
      }
      return try rates(
        in: inner.bytes, file: "\(file) (\(inner.name))", latest: latest, inArchive: true)
    case .csv:
      return try parseCSV(bytes, file: file, latest: latest)
    case .other(let found):
      throw .notRates(InputLocation(file: file), found: found)
    case .xml:
      // libxml2 reads the buffer in place: it must stay valid for the whole parse.
      do {
        try MerchantXMLReader.refuseDoctype(in: Array(bytes.prefix(4096)), file: file)
        return try bytes.withUnsafeBufferPointer { try parse($0, file: file, latest: latest) }
      } catch let error as FeedError {
        throw error
      } catch {
        throw .malformedXML(InputLocation(file: file), message: "\(error)")
      }
    }
  }

  private static func parse(
    _ buffer: UnsafeBufferPointer<UInt8>, file: String, latest: String
  ) throws(FeedError) -> [Rate] {
    let reader = try XMLBufferReader(buffer, file: file)
    var rates: [Rate] = []
    var seen: [String: Rate] = [:]
    var day: String?
    var sawRoot = false
    while let node = try reader.next() {
      guard node == .start else { continue }
      let line = reader.line
      let location = reader.location
      let name = reader.localName
      if !sawRoot {
        sawRoot = true
        guard name == "Envelope" else {
          throw .malformedXML(
            location, message: "the root element is <\(name)>, not an ECB <gesmes:Envelope>")
        }
      }
      guard name == "Cube" else { continue }
      if let time = reader.attribute("time") {
        guard isDay(time) else {
          throw .malformedXML(
            location, message: "Cube time '\(time)' is not a day of the calendar (YYYY-MM-DD)")
        }
        guard time >= firstDay, time <= latest else {
          throw .malformedXML(
            location,
            message: "Cube time '\(time)' is outside the ECB's rates (\(firstDay) to \(latest))")
        }
        day = time
      }
      let currency = reader.attribute("currency")
      let rateText = reader.attribute("rate")
      guard currency != nil || rateText != nil else { continue }
      guard let day else {
        throw .malformedXML(location, message: "a rate Cube outside a Cube with a time")
      }
      guard let currency, currency.utf8.count == 3, currency.allSatisfy(\.isUppercase) else {
        throw .malformedXML(
          location, message: "Cube currency '\(currency ?? "")' is not an ISO 4217 code")
      }
      guard let rateText, let rate = ExactDecimal(rateText), rate.significand > 0,
        !rateText.contains(" ")
      else {
        throw .malformedXML(
          location,
          message:
            "Cube rate '\(rateText ?? "")' for \(currency) on \(day) is not a positive number "
            + "with a decimal point")
      }
      if let earlier = seen[day + currency] {
        guard Self.trimmed(earlier.rate) == Self.trimmed(rate) else {
          throw .malformedXML(
            location,
            message:
              "\(currency) on \(day) is given twice with different rates (\(earlier.rate) at "
              + "line \(earlier.line), \(rateText) here)")
        }
        continue  // the same rate again: once is enough
      }
      let entry = Rate(day: day, currency: currency, rate: rate, line: line)
      seen[day + currency] = entry
      rates.append(entry)
    }
    guard !rates.isEmpty else {
      throw .malformedXML(InputLocation(file: file), message: "the file holds no rates")
    }
    return rates
  }

  /// `rate` without trailing zeros in its fraction, so `1.080` and `1.08` compare equal.
  public static func trimmed(_ rate: ExactDecimal) -> ExactDecimal {
    var value = rate
    while value.scale > 0, value.significand % 10 == 0 {
      value = ExactDecimal(significand: value.significand / 10, scale: value.scale - 1)
    }
    return value
  }

  /// The euro's first reference rates.
  public static let firstDay = "1999-01-04"

  /// Whether `text` is `YYYY-MM-DD` and a day of the (proleptic Gregorian) calendar:
  /// `2025-02-30` is not, `2024-02-29` is.
  public static func isDay(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month)
    else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return (1...lengths[month - 1]).contains(day)
  }

  /// Tomorrow's day in UTC: the latest a published rate can be dated (time zones ahead of UTC).
  static func tomorrow() -> String {
    UTCTime.day(Date().addingTimeInterval(86_400))
  }
}
