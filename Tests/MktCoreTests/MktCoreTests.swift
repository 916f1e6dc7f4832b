import Foundation
import MktCore
import Testing

@Suite struct InputLocationTests {
  @Test(arguments: [
    (InputLocation(file: "m.csv", line: 4, column: 3), "m.csv:4:3"),
    (
      InputLocation(file: "m.csv", line: 4, column: 3, field: "country", id: "M4"),
      "m.csv:4:3 (field country, id M4)"
    ),
    (InputLocation(file: "feed.xml"), "feed.xml"),
    (InputLocation(field: "name"), "field name"),
    (InputLocation(line: 7), "line:7"),
  ])
  func locationReadsLikeACompilerMessage(location: InputLocation, expected: String) {
    #expect(location.description == expected)
  }
}

@Suite struct CodeTests {
  @Test func allTwentyFiveCountriesAreKnownWithTheirCurrency() throws {
    #expect(CountryCode.all.count == 25)
    #expect(try #require(CountryCode("de")).rawValue == "DE")
    #expect(try #require(CountryCode(" ch ")).currency.rawValue == "CHF")
    #expect(try #require(CountryCode("GB")).currency.rawValue == "GBP")
    #expect(CountryCode("US") == nil)
    #expect(CountryCode("") == nil)
    #expect(Set(CountryCode.all.map(\.currency)).count == 10)
  }

  @Test func currenciesAreTheTenOfTheTwentyFiveCountries() {
    #expect(CurrencyCode.validList == "CHF, CZK, DKK, EUR, GBP, HUF, NOK, PLN, RON, SEK")
    #expect(CurrencyCode("usd") == nil)
    #expect(CurrencyCode("sek")?.rawValue == "SEK")
  }

  @Test func codesDecodeOnlyValidValues() throws {
    let decoder = JSONDecoder()
    #expect(
      try decoder.decode([CountryCode].self, from: Data(#"["FR"]"#.utf8)).first?.rawValue == "FR")
    #expect(throws: DecodingError.self) {
      try decoder.decode([CountryCode].self, from: Data(#"["XX"]"#.utf8))
    }
  }

  @Test(arguments: [(Int64(1999), "19.99"), (-5, "-0.05"), (0, "0.00"), (100, "1.00")])
  func moneyPrintsItsMinorUnits(minor: Int64, expected: String) {
    #expect(Money(minorUnits: minor, currency: .eur).decimalString == expected)
  }
}

@Suite struct ExitStatusTests {
  @Test func statusesFollowSysexits() {
    #expect(SysExit.usage.rawValue == 64)
    #expect(SysExit.dataError.rawValue == 65)
    #expect(SysExit.tempFail.rawValue == 75)
    #expect(Set(SysExit.allCases.map(\.rawValue)).count == SysExit.allCases.count)
  }

  @Test func theHelpTableListsEveryStatus() {
    for status in SysExit.allCases {
      #expect(SysExit.table.contains("  \(status.rawValue)"))
    }
  }

  @Test func internalErrorsExit70AndAskToBeReported() {
    let error = InternalError(underlying: "boom")
    #expect(error.exitStatus == .software)
    #expect(error.hint?.contains("report") == true)
  }
}

@Suite struct ImportContractTests {
  @Test func rowIssuesEncodeAsFlatNDJSON() throws {
    let issue = RowIssue(
      location: InputLocation(file: "m.csv", line: 3, column: 2, field: "country"),
      rule: "unknown-country", message: "unknown country 'XX'", rawValue: "XX")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(issue), as: UTF8.self)
    #expect(
      json
        == #"{"column":2,"field":"country","file":"m.csv","line":3,"message":"unknown country 'XX'","raw_value":"XX","rule":"unknown-country","severity":"error"}"#
    )
    #expect(try JSONDecoder().decode(RowIssue.self, from: Data(json.utf8)) == issue)
  }

  @Test func tooManyErrorsListsEachRowAndSaysNothingWasWritten() {
    let issue = RowIssue(
      location: InputLocation(file: "m.csv", line: 3), rule: "ragged-row", message: "short")
    let error = ImportError.tooManyErrors(
      source: "m.csv", rejected: 1, maxErrors: 0, issues: [issue])
    #expect(error.exitStatus == .dataError)
    #expect(error.details == ["m.csv:3: short [ragged-row]"])
    #expect(error.description.contains("nothing was written"))
  }
}
