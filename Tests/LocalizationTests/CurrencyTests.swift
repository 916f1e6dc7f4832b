import Foundation
import Importers
import Localization
import MktCore
import Store
import Testing

@Suite struct CurrencyTests {
  func storeWithRates(_ name: String = "ecb-hist-small.xml") async throws -> CurrencyService {
    let store = try Store.inMemory()
    let service = CurrencyService(store: store)
    let bytes = try #require(FileManager.default.contents(atPath: fixtures + "/" + name))
    _ = try await service.importRates(bytes: Array(bytes), source: name)
    return service
  }

  func code(_ text: String) throws -> CurrencyCode { try #require(CurrencyCode(text)) }

  @Test func importsEveryDayAndIsIdempotent() async throws {
    let store = try Store.inMemory()
    let service = CurrencyService(store: store)
    let bytes = Array(
      try #require(FileManager.default.contents(atPath: fixtures + "/ecb-hist-small.xml")))
    let first = try await service.importRates(bytes: bytes, source: "hist")
    #expect(first.days == 3)
    #expect(first.first == "2025-02-20" && first.last == "2025-02-24")
    #expect(first.inserted == 27)  // the nine non-euro currencies of the 25 countries × 3 days
    let again = try await service.importRates(bytes: bytes, source: "hist")
    #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 27)
  }

  @Test func convertsThroughEuroRoundingHalfEven() async throws {
    let service = try await storeWithRates()
    let result = try await service.convert(
      Money("100", currency: .eur), to: code("PLN"), on: "2025-02-24")
    #expect(result.result.decimalString == "414.45")
    #expect(!result.carriedForward)
    // Cross rate: 100 CHF → PLN = 100 / 0.9415 × 4.1445 = 440.1487…
    let cross = try await service.convert(
      Money("100", currency: code("CHF")), to: code("PLN"), on: "2025-02-24")
    #expect(cross.result.decimalString == "440.20")
  }

  @Test func aWeekendCarriesFridayForward() async throws {
    let service = try await storeWithRates()
    let saturday = try await service.convert(
      Money("100", currency: .eur), to: code("PLN"), on: "2025-02-22")
    #expect(saturday.rateDay == "2025-02-21")
    #expect(saturday.carriedForward)
    #expect(saturday.result.decimalString == "416.83")
    let rates = try await service.rates(on: "2025-02-23")
    #expect(rates.day == "2025-02-21" && rates.carriedForward)
    #expect(rates.rates["CHF"] == "0.942")
  }

  @Test func noRateBeforeTheFirstDayNamesTheDay() async throws {
    let service = try await storeWithRates()
    await #expect(throws: LocalizationError.noRate(currency: "PLN", day: "2025-02-19")) {
      try await service.convert(Money("1", currency: .eur), to: code("PLN"), on: "2025-02-19")
    }
    await #expect(throws: LocalizationError.badDay("19.02.2025")) {
      try await service.rates(on: "19.02.2025")
    }
  }

  @Test func roundTripsStayWithinOneMinorUnit() async throws {
    let service = try await storeWithRates()
    var generator = SystemRandomNumberGenerator()
    for target in ["PLN", "CHF", "HUF", "SEK", "GBP", "CZK"] {
      for _ in 0..<50 {
        let amount = Money(
          minorUnits: Int64.random(in: 1...10_000_000, using: &generator), currency: .eur)
        let there = try await service.convert(amount, to: code(target), on: "2025-02-24")
        let back = try await service.convert(there.result, to: .eur, on: "2025-02-24")
        // One minor unit of the target is worth less than one euro cent for all but GBP and
        // CHF, where it is worth at most ~1.2 cents: allow the rounding of both legs.
        #expect(abs(back.result.minorUnits - amount.minorUnits) <= 2, "\(amount) via \(target)")
      }
    }
  }

  @Test func aMalformedCubeIsRefusedWithItsLineAndNothingStored() async throws {
    let store = try Store.inMemory()
    let service = CurrencyService(store: store)
    let bytes = Array(
      try #require(FileManager.default.contents(atPath: fixtures + "/ecb-malformed.xml")))
    do {
      _ = try await service.importRates(bytes: bytes, source: "ecb-malformed.xml")
      Issue.record("imported a malformed file")
    } catch let error as FeedError {
      #expect(error.location?.line == 46)
      #expect(error.exitStatus == .dataError)
      #expect("\(error)".contains("0,8283"))
    }
    await #expect(throws: LocalizationError.self) { try await service.rates() }
  }

  @Test func hostileXMLIsRefused() {
    let doctype = Array(
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><gesmes:Envelope/>".utf8)
    #expect(throws: FeedError.self) { try ECBRateFile(bytes: doctype, file: "x.xml") }
    let wrongRoot = Array("<rss><Cube time=\"2025-01-01\"/></rss>".utf8)
    #expect(throws: FeedError.self) { try ECBRateFile(bytes: wrongRoot, file: "x.xml") }
  }
}

/// Hardening class 8: an ECB file says only what a calendar and one rate per day allow.
@Suite struct ECBValidationTests {
  static func envelope(_ cubes: String) -> [UInt8] {
    Array(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <Cube>
      \(cubes)
      </Cube>
      </gesmes:Envelope>
      """.utf8)
  }

  @Test(arguments: [
    ("<Cube time=\"2025-02-30\"><Cube currency=\"USD\" rate=\"1.03\"/></Cube>", "calendar"),
    ("<Cube time=\"2023-02-29\"><Cube currency=\"USD\" rate=\"1.03\"/></Cube>", "calendar"),
    ("<Cube time=\"9999-12-31\"><Cube currency=\"USD\" rate=\"1.03\"/></Cube>", "outside"),
    ("<Cube time=\"1998-12-31\"><Cube currency=\"USD\" rate=\"1.03\"/></Cube>", "outside"),
    (
      "<Cube time=\"2025-02-03\"><Cube currency=\"USD\" rate=\"1.03\"/>"
        + "<Cube currency=\"USD\" rate=\"1.04\"/></Cube>", "twice with different rates"
    ),
    (
      "<Cube time=\"2025-02-03\"><Cube currency=\"USD\" rate=\"1.03\"/></Cube>\n"
        + "<Cube time=\"2025-02-03\"><Cube currency=\"USD\" rate=\"1.05\"/></Cube>",
      "twice with different rates"
    ),
  ])
  func impossibleOrContradictoryDaysAreRefused(cubes: String, message: String) {
    let error = #expect(throws: FeedError.self) {
      try ECBRateFile(bytes: Self.envelope(cubes), file: "x.xml", latest: "2026-12-06")
    }
    #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    #expect(error?.location?.line != nil)
  }

  @Test func aLeapDayAndTheSameRateTwiceAreFine() throws {
    let file = try ECBRateFile(
      bytes: Self.envelope(
        "<Cube time=\"2024-02-29\"><Cube currency=\"USD\" rate=\"1.08\"/>"
          + "<Cube currency=\"USD\" rate=\"1.080\"/></Cube>"), file: "x.xml", latest: "2026-12-06")
    #expect(file.rates.count == 1)
    #expect(file.days == ["2024-02-29"])
  }
}

/// ECB rates as the ECB distributes them (issue 15, item 4): the XML, the CSV in its daily and
/// history layouts, and the ZIP archives that hold the CSV, all read to the same rates.
@Suite struct ECBDownloadTests {
  static func rates(_ name: String) throws -> [String] {
    let bytes = Array(try #require(FileManager.default.contents(atPath: fixtures + "/" + name)))
    return try ECBRateFile(bytes: bytes, file: name, latest: "2026-12-06").rates
      .map { "\($0.day) \($0.currency) \(ECBRateFile.trimmed($0.rate))" }.sorted()
  }

  @Test func everyLayoutReadsToTheSameRates() throws {
    let xml = try Self.rates("ecb-hist-small.xml")
    #expect(xml.count == 90)
    #expect(try Self.rates("ecb-hist-small.csv") == xml, "N/A cells and the trailing comma skipped")
    #expect(try Self.rates("ecb-hist-small.zip") == xml)
    let newest = xml.filter { $0.hasPrefix("2025-02-24") }
    #expect(try Self.rates("ecb-daily.csv") == newest, "24 February 2025 is 2025-02-24")
    #expect(try Self.rates("ecb-daily.zip") == newest)
  }

  @Test func aPageOrAnArchiveOfSomethingElseIsNamedAsSuch() throws {
    let page = Array(
      try #require(FileManager.default.contents(atPath: fixtures + "/ecb-page.html")))
    let error = #expect(throws: FeedError.self) { try ECBRateFile(bytes: page, file: "rates.xml") }
    #expect(error?.description.hasPrefix("this is an HTML page, not ECB reference rates") == true)
    let pdf = Array("%PDF-1.7\n".utf8)
    #expect(throws: FeedError.notRates(InputLocation(file: "r"), found: "a PDF document")) {
      try ECBRateFile(bytes: pdf, file: "r")
    }
    let truncated = Array(
      try #require(FileManager.default.contents(atPath: fixtures + "/ecb-daily.zip")).prefix(60))
    let damaged = #expect(throws: FeedError.self) { try ECBRateFile(bytes: truncated, file: "z") }
    #expect(damaged?.description.contains("damaged ZIP archive") == true)
  }

  @Test func aCSVCellThatIsNotARateIsPointedAt() {
    let csv = Array("Date,USD,JPY,\n2025-02-24,1.04,abc,\n".utf8)
    #expect(
      throws: FeedError.badRatesCSV(
        InputLocation(file: "r.csv", line: 2, column: 3),
        message: "rate 'abc' for JPY on 2025-02-24 is not a positive number")
    ) { try ECBRateFile(bytes: csv, file: "r.csv", latest: "2026-12-06") }
  }
}

@Suite struct CountryTableTests {
  @Test func allTwentyFiveCountriesWithCurrentRates() throws {
    #expect(CountryTable.shipped.map(\.code) == CountryCode.all)
    for country in CountryTable.shipped {
      #expect(country.currency == country.code.currency, "\(country.code)")
      #expect(try LocaleFormat(country.defaultLocale).id == country.defaultLocale)
      #expect(country.translationFallback.last == "en")
      #expect(!country.vat.isEmpty)
      #expect(country.vat.map(\.validFrom) == country.vat.map(\.validFrom).sorted())
    }
    let finland = CountryTable.shipped(try #require(CountryCode("FI")))
    #expect(finland.vat(on: "2024-08-31").standard.description == "24")
    #expect(finland.vat(on: "2024-09-01").standard.description == "25.5")
    let swiss = CountryTable.shipped(try #require(CountryCode("CH")))
    #expect(swiss.cashRounding == 5)
    #expect(swiss.vat(on: "2026-11-25").standard.description == "8.1")
    #expect(!CountryTable.sources.isEmpty)
  }
}
