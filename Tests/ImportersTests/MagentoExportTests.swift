import Importers
import MktCore
import Testing

/// Magento 2 catalog exports (issue 15, item 2): simple products, configurables with children
/// before and after them, store view rows as translations, disabled and grouped products, sale
/// dates in Magento's short format, media paths, `additional_attributes`.
@Suite struct MagentoExportTests {
  static let options = FeedOptions(currency: "EUR", shopURL: "https://luma.example/")

  @Test func anExportIsSniffedAndReadAsProductsForSale() throws {
    let result = try scan("magento/catalog_product.csv", options: Self.options)
    #expect(result.summary.format == .magento)
    #expect(
      result.records.map(\.id) == [
        "24-MB01", "MH01-XS-Black", "MH01-XS-Gray", "MH01-S-Black", "MJ01-M-Red",
      ])
    #expect(result.summary.skippedDrafts == 1, "the disabled yoga strap")
    #expect(result.summary.rejected == 1, "the orphan has no description and no image")
    let bag = result.records[0]
    #expect(bag[.title] == "Joust Duffle Bag")
    #expect(bag[.price] == "34.00 EUR" && bag[.salePrice] == "29.00 EUR")
    #expect(bag[.salePriceEffectiveDate] == "2025-11-24T00:00Z/2025-12-01T23:59Z")
    #expect(bag[.link] == "https://luma.example/joust-duffle-bag.html")
    #expect(bag[.imageLink] == "https://luma.example/media/catalog/product/m/b/mb01-blue-0.jpg")
    #expect(
      bag.all(.additionalImageLink) == [
        "https://luma.example/media/catalog/product/m/b/mb01-black-0.jpg"
      ])
    #expect(bag[.productType] == "Gear", "the first category path, without the root")
    #expect(bag[.brand] == "Luma" && bag[.gtin] == "4006381333931")
    #expect(bag[.material] == "Nylon,Polyester", "a comma inside a value stays in it")
    #expect(bag.custom["activity"] == "Gym,Hiking,Trail,Urban")
    #expect(
      bag.translations == [
        ProductTranslation(
          language: "de", title: "Joust Reisetasche",
          description: "Die sportliche Joust Reisetasche.")
      ])

    let black = result.records[1]
    #expect(black[.itemGroupID] == "MH01", "the configurable after its children claims them")
    #expect(black[.color] == "Black" && black[.size] == "XS")
    #expect(black[.link] == "https://luma.example/chaz-kangeroo-hoodie.html", "the parent's page")
    #expect(black[.description] == "<p>Ideal for cold-weather training or work outdoors.</p>")
    #expect(black[.productType] == "Men > Tops > Hoodies & Sweatshirts")
    #expect(black[.brand] == "Luma")
    #expect(black.translations.map(\.title) == ["Chaz Känguru-Kapuzenpullover"])
    let gray = result.records[2]
    #expect(gray[.availability] == "out_of_stock")
    #expect(
      gray[.imageLink] == "https://luma.example/media/catalog/product/m/h/mh01-gray_main.jpg",
      "the parent's image")
    #expect(result.records[3][.itemGroupID] == "MH01", "a child after its configurable")
    #expect(result.records[3][.price] == "54.00 EUR")
    let orphan = result.records[4]
    #expect(orphan[.itemGroupID].isEmpty)
    #expect(orphan.readIssues.map(\.rule).contains("orphan-variation"))
    #expect(
      result.findings.contains { $0.rule == "stray-store-view" && $0.location.line == 12 },
      "the French row far from its product is named, not applied")
  }

  @Test func disabledProductsOnRequest() throws {
    var options = Self.options
    options.includeDrafts = true
    let result = try scan("magento/catalog_product.csv", options: options)
    #expect(result.records.map(\.id).contains("24-WG085"))
  }

  @Test func storeViewsNameTheirLanguage() {
    #expect(MagentoReader.language(ofStoreView: "de") == "de")
    #expect(MagentoReader.language(ofStoreView: "de_ch") == "de")
    #expect(MagentoReader.language(ofStoreView: "fr-store") == "fr")
    #expect(MagentoReader.language(ofStoreView: "German") == "de")
    #expect(MagentoReader.language(ofStoreView: "default") == nil)
    #expect(MagentoReader.language(ofStoreView: "storeview1") == nil)
  }
}
