import Foundation
import Testing

@testable import Catalog

/// The availability column: Merchant Center's words as one lower-case token, byte by byte for
/// ASCII and through Foundation otherwise, with the same result.
struct ProductColumnsTests {
  @Test func availabilityIsOneLowerCaseToken() {
    #expect(ProductColumns.enumeration("") == nil)
    #expect(ProductColumns.enumeration("in stock") == "in_stock")
    #expect(ProductColumns.enumeration("Out Of STOCK") == "out_of_stock")
    #expect(ProductColumns.enumeration("backorder") == "backorder")
    #expect(ProductColumns.enumeration("[Pre]Order 2") == "[pre]order_2")
    #expect(ProductColumns.enumeration("AUF LAGER Ü") == "auf_lager_ü")
    for text in ["In Stock", "a Z@[`{", "ÉTÉ Été", " x  Y "] {
      let expected = text.lowercased().replacingOccurrences(of: " ", with: "_")
      #expect(ProductColumns.enumeration(text) == expected, "\(text)")
    }
  }
}
