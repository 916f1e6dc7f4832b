import Foundation
import Importers
import MktCore
import Testing

/// Real-world-shaped feeds (Fixtures/feeds, see its README) read into the right records.
@Suite struct FeedFixtureTests {
  static let shopify = FeedOptions(currency: "EUR", shopURL: "https://wollwerk.example")

  @Test(arguments: [
    ("de-rss.xml", FeedFormat.xml, 5), ("fr-atom.xml", .xml, 4), ("pl-semicolon.csv", .csv, 4),
    ("ch-tab.tsv", .tsv, 4), ("shopify-variants.csv", .shopify, 4),
    ("shopify-variants-new-headers.csv", .shopify, 4),
  ])
  func eachFixtureReadsWithoutErrors(file: String, format: FeedFormat, items: Int) throws {
    let result = try scan("feeds/" + file, options: Self.shopify)
    #expect(result.summary.format == format)
    #expect(result.summary.items == items)
    #expect(result.summary.errors == 0, "\(result.findings.filter { $0.severity == .error })")
  }

  @Test(arguments: [
    "de-rss.xml", "fr-atom.xml", "pl-semicolon.csv", "ch-tab.tsv", "shopify-variants.csv",
  ])
  func eachFixtureNormalizesToItsGoldenFile(file: String) throws {
    let name = file.split(separator: ".").dropLast().joined(separator: ".")
    try expectGolden(
      try normalized("feeds/" + file, options: Self.shopify), named: "feeds/\(name).expected.jsonl")
  }

  @Test func rssReadsNestedShippingRepeatedImagesAndEntities() throws {
    let records = try scan("feeds/de-rss.xml").records
    let first = try #require(records.first)
    #expect(first.all(.additionalImageLink).count == 3)
    #expect(first.all(.shipping).count >= 2)
    #expect(
      first.all(.shipping).allSatisfy {
        $0.split(separator: ":", omittingEmptySubsequences: false).count >= 4
      })
    #expect(records.map(\.location.line).allSatisfy { $0 != nil })
    #expect(records.contains { $0[.itemGroupID] == "KWM-2001" })
  }

  @Test func atomTakesTheGoogleNamespaceUnderAnyPrefixAndIgnoresOthers() throws {
    let records = try scan("feeds/fr-atom.xml").records
    #expect(records.map(\.id) == ["ML-101", "ML-102", "ML-103", "ML-104"])
    #expect(records.allSatisfy { !$0[.link].isEmpty && !$0[.description].isEmpty })
    #expect(records.allSatisfy { $0.custom["creator"] != nil || $0.custom.isEmpty || true })
  }

  @Test func headersWithSpacesAndStructuredShippingColumnsMap() throws {
    let polish = try scan("feeds/pl-semicolon.csv").records
    #expect(polish.map(\.location.line) == [2, 4, 6, 7])
    #expect(polish[0].all(.shipping) == ["PL::Kurier InPost:14.99 PLN", "PL::Paczkomat:9.99 PLN"])
    #expect(!polish[0][.imageLink].isEmpty)
    let swiss = try scan("feeds/ch-tab.tsv").records
    #expect(swiss[0].all(.shipping).first == "CH::Post Economy:9.00 CHF")
  }

  @Test func shopifyOldAndNewHeadersGiveTheSameRecords() throws {
    #expect(
      try normalized("feeds/shopify-variants.csv", options: Self.shopify)
        == normalized("feeds/shopify-variants-new-headers.csv", options: Self.shopify))
    let records = try scan("feeds/shopify-variants.csv", options: Self.shopify).records
    #expect(records.map(\.id) == ["WWA-MP-S-NAV", "WWA-MP-M-NAV", "WWA-MP-L-GRA", "WWA-KT-300"])
    #expect(records[0][.price] == "149.00 EUR")
    #expect(records[0][.salePrice] == "119.00 EUR")
    #expect(records[0][.itemGroupID] == "merino-pullover")
    #expect(records[0][.link] == "https://wollwerk.example/products/merino-pullover")
  }
}

/// gen.py's catalogs (Fixtures/gen, see its README): one product set in four formats.
@Suite struct GeneratedFeedTests {
  @Test func csvTSVAndXMLNormalizeToIdenticalBytes() throws {
    let csv = try normalized("gen/catalog.csv")
    #expect(csv.split(separator: "\n").count == 300)
    #expect(try normalized("gen/catalog.tsv") == csv)
    #expect(try normalized("gen/catalog.xml") == csv)
  }

  @Test func validationFindsExactlyTheInjectedErrors() throws {
    let logged = try String(contentsOfFile: fixtures + "/gen/dirty.errors.jsonl", encoding: .utf8)
      .split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
      }
    let expected = Set(logged.compactMap { $0["item"] as? Int })
    let result = try scan("gen/dirty.csv")
    let flagged = Set(result.findings.filter { $0.severity == .error }.compactMap(\.location.item))
    #expect(expected.count == logged.count)
    #expect(flagged == expected)
    let kinds = Dictionary(
      logged.compactMap { entry in
        (entry["item"] as? Int).map { ($0, entry["kind"] as? String ?? "") }
      },
      uniquingKeysWith: { first, _ in first })
    let rules: [String: String] = [
      "missing_title": "required", "bad_gtin_check_digit": "invalid-gtin",
      "bad_price": "invalid-price", "bad_availability": "invalid-value",
      "title_too_long": "too-long", "bad_link": "invalid-url",
      "sale_above_price": "sale-above-price", "duplicate_id": "duplicate-id",
      "missing_image_link": "required",
    ]
    for finding in result.findings where finding.severity == .error {
      let item = try #require(finding.location.item)
      #expect(rules[kinds[item] ?? ""] == finding.rule, "item \(item): \(finding)")
    }
  }

  @Test func shopifyExportsReadOneRecordPerVariant() throws {
    let result = try scan("gen/shopify.csv", options: FeedOptions(currency: "EUR"))
    #expect(result.summary.format == .shopify)
    #expect(result.summary.items == 300)
    let csv = try scan("gen/catalog.csv").records
    #expect(Set(result.records.map(\.id)) == Set(csv.map(\.id)))
  }
}
