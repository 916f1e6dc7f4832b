import Importers
import MktCore
import Testing

/// Shopify product exports as Shopify writes them today (issue 15, item 1): the 2024+ column
/// names, barcodes guarded with an apostrophe, no inventory quantity column, drafts and
/// archived products, image-only rows, metafield and market columns.
@Suite struct ShopifyExportTests {
  static let options: FeedOptions = {
    var options = FeedOptions(currency: "EUR", shopURL: "https://wollwerk.example")
    options.format = .shopify
    return options
  }()

  @Test func todaysExportReadsEveryVariantForSale() throws {
    let result = try scan("shopify/export-2025.csv", options: Self.options)
    #expect(result.records.map(\.id) == ["WW-MP-S", "WW-MP-M", "WW-WS"])
    #expect(result.summary.skippedDrafts == 2)
    #expect(result.summary.rejected == 0)
    let small = result.records[0]
    #expect(small[.gtin] == "4006381333931", "the apostrophe guard is not part of the barcode")
    #expect(result.records[1][.gtin] == "0012345678905", "leading zeros kept")
    #expect(small[.availability] == "in_stock")
    #expect(small[.price] == "109.00 EUR" && small[.salePrice] == "89.00 EUR")
    #expect(small.all(.additionalImageLink) == ["https://cdn.wollwerk.example/mp-2.jpg"])
    #expect(small.custom["option2_linked_to"] == "shopify.color-pattern.grey")
    #expect(small.custom["price_/_international"] == "99.00")
    #expect(small.custom["included_/_germany"] == "TRUE")
    #expect(small.custom["color_(product.metafields.shopify.color_pattern)"] == "grey")
    #expect(small[.link] == "https://wollwerk.example/products/merino-pullover")
    let assumed = result.findings.filter { $0.rule == "availability-assumed" }
    #expect(assumed.map(\.location.line) == [2], "tracked, denied when out of stock: said once")
    #expect(assumed.allSatisfy { $0.severity == .warning })
  }

  @Test func draftsOnRequestAndAvailabilityAsGiven() throws {
    var options = Self.options
    options.includeDrafts = true
    options.availability = "out_of_stock"
    let result = try scan("shopify/export-2025.csv", options: options)
    #expect(result.records.map(\.id) == ["WW-MP-S", "WW-MP-M", "WW-WS", "WW-AS", "WW-OC"])
    #expect(result.records.allSatisfy { $0[.availability] == "out_of_stock" })
    #expect(!result.findings.contains { $0.rule == "availability-assumed" })
  }
}
