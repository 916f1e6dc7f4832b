import Importers
import MktCore
import Testing

/// WooCommerce product exports (issue 15, item 2): simple, variable with its variations (parent
/// by `id:N` and by SKU), external, unpublished; prices, sale dates, stock, attributes.
@Suite struct WooCommerceExportTests {
  static let options = FeedOptions(currency: "EUR", shopURL: "https://klar.example")

  @Test func anExportIsSniffedAndReadAsProductsForSale() throws {
    let result = try scan("woocommerce/products.csv", options: Self.options)
    #expect(result.summary.format == .woocommerce)
    #expect(
      result.records.map(\.id) == ["KR-TEE-001", "KR-HOODIE-BLUE-M", "KR-HOODIE-RED-L", "KR-BOOK"])
    #expect(result.summary.skippedDrafts == 1, "the unpublished cap")
    #expect(result.summary.rejected == 0)
    let tee = result.records[0]
    #expect(tee[.price] == "19.90 EUR" && tee[.salePrice] == "15.90 EUR")
    #expect(tee[.salePriceEffectiveDate] == "2025-11-24T00:00Z/2025-12-01T23:59Z")
    #expect(tee[.gtin] == "4006381333931" && tee[.brand] == "Klar")
    #expect(tee[.productType] == "Kleidung > T-Shirts")
    #expect(tee.all(.additionalImageLink) == ["https://cdn.klar.example/tee-2.jpg"])
    let blue = result.records[1]
    #expect(blue[.itemGroupID] == "KR-HOODIE", "parent found by id:102")
    #expect(blue[.color] == "Blue" && blue[.size] == "M")
    #expect(blue[.description] == "<p>Kapuzenpullover aus Baumwolle.</p>", "from the parent")
    #expect(blue[.link] == "https://klar.example/?p=102")
    let red = result.records[2]
    #expect(red[.itemGroupID] == "KR-HOODIE", "parent found by its SKU")
    #expect(red[.availability] == "out_of_stock")
    #expect(red[.imageLink] == "https://cdn.klar.example/hoodie.jpg", "the parent's image")
    #expect(result.records[3][.link] == "https://verlag.example/buch", "an external product")
  }

  @Test func draftsOnRequest() throws {
    var options = Self.options
    options.includeDrafts = true
    let result = try scan("woocommerce/products.csv", options: options)
    #expect(result.records.map(\.id).contains("KR-CAP"))
  }
}
