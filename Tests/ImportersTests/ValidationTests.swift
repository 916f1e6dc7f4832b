import MktCore
import Testing

@testable import Importers

@Suite struct PriceTests {
  @Test(arguments: [
    ("15.00 EUR", "15.00 EUR"), ("15 EUR", "15.00 EUR"), ("15.5 PLN", "15.50 PLN"),
    ("1200 HUF", "1200.00 HUF"), ("1500 JPY", "1500 JPY"), ("0.125 KWD", "0.125 KWD"),
  ])
  func validPricesGetTheirCanonicalText(text: String, canonical: String) throws {
    #expect(try FeedPrice.parse(text).get().text == canonical)
  }

  @Test(arguments: [
    ("15,00 EUR", FeedPrice.Problem.decimalComma), ("EUR 15.00", .currencyFirst),
    ("15.00", .noCurrency), ("15.00 EURO", .unknownCurrency("EURO")),
    ("15.001 EUR", .tooManyDecimals(allowed: 2)), ("-1.00 EUR", .negative), ("", .empty),
    ("1.2.3 EUR", .notANumber),
  ])
  func invalidPricesSayWhy(text: String, problem: FeedPrice.Problem) {
    #expect(FeedPrice.parse(text) == .failure(problem))
  }

  @Test func aDecimalCommaIsAcceptedWhenAsked() throws {
    #expect(try FeedPrice.parse("15,00 EUR", decimalComma: true).get().minorUnits == 1500)
  }
}

@Suite struct GTINTests {
  @Test(arguments: [
    "4006381333931", "4000000000426", "012345678905", "96385074", "14006381333938",
    "400-638133393-1", "9771234567003", "9780306406157",
  ])
  func validGTINsPass(gtin: String) {
    #expect(GTIN.problem(gtin) == nil)
  }

  @Test(arguments: [
    ("4006381333932", GTIN.Problem.checkDigit(expected: 1)),
    ("400638133393", .checkDigit(expected: 0)),
    ("40063813339", .length(11)), ("40063813A3931", .notDigits),
    ("2001234567893", .reservedPrefix("2")), ("0512345678900", .reservedPrefix("05")),
    ("9912345678909", .reservedPrefix("99")), ("0212345678909", .reservedPrefix("02")),
    ("94006381333934", .reservedPrefix("9 (bulk GTIN-14)")),
  ])
  func invalidGTINsSayWhy(gtin: String, problem: GTIN.Problem) {
    #expect(GTIN.problem(gtin) == problem)
  }
}

@Suite struct ValidatorTests {
  static func record(_ values: [Attribute: String], line: Int = 2) -> ProductRecord {
    var record = ProductRecord(location: InputLocation(file: "t.csv", line: line), item: line - 1)
    let complete: [Attribute: String] = [
      .id: "A-1", .title: "Chair", .description: "A chair.", .link: "https://shop.example/a",
      .imageLink: "https://cdn.shop.example/a.jpg", .availability: "in_stock",
      .price: "10.00 EUR", .brand: "Acme", .gtin: "4006381333931",
    ]
    for (attribute, value) in complete.merging(values, uniquingKeysWith: { $1 }) {
      record[attribute] = value
    }
    return record
  }

  static func rules(_ values: [Attribute: String]) -> [String] {
    var validator = FeedValidator()
    return validator.validate(record(values)).map(\.rule)
  }

  @Test func aCompleteRecordHasNoFindings() {
    #expect(Self.rules([:]).isEmpty)
  }

  @Test(arguments: [
    ([Attribute.title: ""], "required"),
    ([.title: String(repeating: "x", count: 151)], "too-long"),
    ([.salePrice: "12.00 EUR"], "sale-above-price"),
    ([.salePrice: "9.00 PLN"], "currency-mismatch"),
    ([.availability: "available"], "invalid-value"),
    ([.condition: "mint"], "invalid-value"),
    ([.link: "ftp://shop.example/a"], "invalid-url"),
    ([.link: "https://"], "invalid-url"),
    ([.salePriceEffectiveDate: "2026-11-27/2026-11-30"], "invalid-date"),
    ([.salePriceEffectiveDate: "2026-11-30T00:00+01:00/2026-11-27T00:00+01:00"], "invalid-date"),
    ([.expirationDate: "30.11.2026"], "invalid-date"),
    ([.gtin: "4006381333932"], "invalid-gtin"),
    ([.shipping: "Germany standard"], "invalid-shipping"),
    ([.title: "Chair\u{0}"], "control-character"),
  ])
  func eachRuleFires(values: [Attribute: String], rule: String) {
    #expect(Self.rules(values).contains(rule), "\(Self.rules(values))")
  }

  @Test func validDatesAndEnumerationSpellingsPass() {
    #expect(
      Self.rules([.salePriceEffectiveDate: "2026-11-27T00:00+0100/2026-11-30T23:59Z"]).isEmpty)
    #expect(Self.rules([.availability: "in stock"]).isEmpty)
    #expect(Self.rules([.availability: "preorder", .availabilityDate: "2026-12-01"]).isEmpty)
    #expect(Self.rules([.identifierExists: "no", .brand: "", .gtin: ""]).isEmpty)
  }

  @Test func warningsKeepTheItem() {
    var validator = FeedValidator()
    let findings = validator.validate(Self.record([.brand: "", .gtin: ""]))
    #expect(findings.map(\.rule) == ["missing-brand", "missing-identifier"])
    #expect(findings.allSatisfy { $0.severity == .warning })
  }

  @Test func aSecondIDIsADuplicate() {
    var validator = FeedValidator()
    _ = validator.validate(Self.record([:], line: 2))
    let findings = validator.validate(Self.record([:], line: 9))
    #expect(findings.map(\.message) == ["the id A-1 appeared earlier in the feed"])
    #expect(findings.first?.location.field == "id")
  }

  @Test func normalizingComposesDecomposedText() {
    let decomposed = "Cafe\u{0301} – „Crème“ € ąę"
    let line = FeedNormalizer().line(for: Self.record([.title: decomposed]))
    #expect(line.contains("\"title\":\"Café – „Crème“ € ąę\""))
    #expect(FeedNormalizer.isNFCQuick("Crème – „Zakopane” € ąęł"))
    #expect(!FeedNormalizer.isNFCQuick("e\u{0301}"))
    #expect(!FeedNormalizer.isNFCQuick("\u{2126}"))  // OHM SIGN: NFC is Ω
  }

  @Test func normalizingWritesDatesWithAZoneInUTC() {
    let line = FeedNormalizer().line(
      for: Self.record([
        .salePriceEffectiveDate: "2026-11-27T00:00+0100/2026-11-30T23:59:30-05:00",
        .availabilityDate: "2026-12-01", .expirationDate: "2024-02-29T01:00+02:00",
      ]))
    #expect(
      line.contains(#""sale_price_effective_date":"2026-11-26T23:00:00Z/2026-12-01T04:59:30Z""#))
    #expect(line.contains(#""availability_date":"2026-12-01""#))
    #expect(line.contains(#""expiration_date":"2024-02-28T23:00:00Z""#))
  }

  @Test func normalizingCollapsesWhiteSpaceAndCanonicalizesValues() {
    let line = FeedNormalizer().line(
      for: Self.record([.availability: "In Stock", .price: "10 EUR", .title: " Chair\n\t oak "]))
    #expect(line.contains(#""availability":"in_stock""#))
    #expect(line.contains(#""price":"10.00 EUR""#))
    #expect(line.contains(#""title":"Chair oak""#))
  }
}
