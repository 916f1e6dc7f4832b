import Foundation
import Localization
import MktCore
import Testing

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures").path

/// One expectation of Fixtures/cldr-golden.json, written by scripts/generate-cldr.py from
/// babel's CLDR formatting functions (never typed by hand).
struct GoldenCase: Decodable, CustomTestStringConvertible {
  var locale: String
  var kind: String
  var input: String
  var currency: String?
  var style: String?
  var expected: String

  var testDescription: String {
    "\(locale) \(kind) \(input) \(currency ?? style ?? "")"
  }
}

let goldenCases: [GoldenCase] = {
  let path = fixtures + "/cldr-golden.json"
  guard let data = FileManager.default.contents(atPath: path),
    let cases = try? JSONDecoder().decode([GoldenCase].self, from: data)
  else { return [] }
  return cases
}()

@Suite struct FormatTests {
  @Test func goldenFileCoversEveryDefaultLocale() throws {
    #expect(goldenCases.count > 800)
    let covered = Set(goldenCases.map(\.locale))
    for country in CountryTable.shipped {
      #expect(covered.contains(country.defaultLocale), "\(country.code)")
      for locale in country.locales { #expect(covered.contains(locale), "\(locale)") }
    }
  }

  @Test(arguments: goldenCases) func matchesCLDR(_ golden: GoldenCase) throws {
    let format = try LocaleFormat(golden.locale)
    if golden.kind == "date" {
      let style = DateStyle(rawValue: golden.style ?? "") ?? .medium
      #expect(format.date(golden.input, style: style) == golden.expected)
      return
    }
    let value = try #require(ExactDecimal(golden.input), "\(golden.input)")
    let actual: String?
    switch golden.kind {
    case "currency":
      let currency = try #require(CurrencyCode(golden.currency ?? ""))
      actual = try format.format(value, currency: currency)
    case "decimal": actual = try format.format(value)
    case "percent": actual = try format.percent(value)
    default: actual = nil
    }
    #expect(actual == golden.expected)
  }

  @Test func issueExamplesByteForByte() throws {
    func euro(_ locale: String) throws -> String {
      try LocaleFormat(locale).format(Money("1234.5", currency: .eur))
    }
    #expect(try euro("de_DE") == "1.234,50\u{A0}€")
    #expect(try euro("fr_FR") == "1\u{202F}234,50\u{A0}€")
    #expect(try euro("es_ES") == "1234,50\u{A0}€")
    #expect(try euro("pl_PL") == "1234,50\u{A0}€")
    #expect(try euro("en_IE") == "€1,234.50")
    let chf = try #require(CurrencyCode("CHF"))
    #expect(try LocaleFormat("de_CH").format(Money("1234.5", currency: chf)) == "CHF\u{A0}1’234.50")
  }

  @Test func cashDisplayRoundsFrancsToFiveRappenAndForintToWholeUnits() throws {
    let chf = try #require(CurrencyCode("CHF"))
    let huf = try #require(CurrencyCode("HUF"))
    let swiss = try LocaleFormat("de_CH")
    #expect(swiss.format(try Money("19.97", currency: chf), cash: true) == "CHF\u{A0}19.95")
    #expect(swiss.format(try Money("19.98", currency: chf), cash: true) == "CHF\u{A0}20.00")
    #expect(swiss.format(try Money("19.98", currency: chf)) == "CHF\u{A0}19.98")
    let hungarian = try LocaleFormat("hu-HU")
    #expect(hungarian.format(try Money("1234.50", currency: huf)) == "1234,50\u{A0}Ft")
    #expect(hungarian.format(try Money("1234.50", currency: huf), cash: true) == "1234\u{A0}Ft")
    #expect(hungarian.format(try Money("1235.50", currency: huf), cash: true) == "1236\u{A0}Ft")
  }

  @Test func unknownLocaleListsTheShippedOnes() {
    #expect(throws: LocalizationError.unknownLocale("xx_YY")) { try LocaleFormat("xx_YY") }
    #expect(LocalizationError.unknownLocale("x").hint?.contains("de_DE") == true)
    #expect(LocaleFormat.cldrVersion == "45.0")
  }

  @Test func badDatesAreRefused() throws {
    let format = try LocaleFormat("de_DE")
    #expect(format.date("2026-13-01") == nil)
    #expect(format.date("yesterday") == nil)
  }
}
