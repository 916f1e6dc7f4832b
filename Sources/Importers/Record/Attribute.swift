/// The Google Merchant Center product data attributes mkt knows, plus `merchant_id` and
/// `language`; anything else a feed carries is kept as a custom attribute.
///
/// Limits follow the Merchant Center product data specification (see
/// `docs/merchant-center-rules.md`).
public enum Attribute: Int, CaseIterable, Sendable, Comparable {
  case id, title, description, link, imageLink, additionalImageLink, mobileLink
  case availability, availabilityDate, expirationDate
  case price, salePrice, salePriceEffectiveDate, costOfGoodsSold
  case unitPricingMeasure, unitPricingBaseMeasure
  case googleProductCategory, productType, brand, gtin, mpn, identifierExists, condition, adult
  case multipack, isBundle, ageGroup, color, gender, material, pattern, size, sizeType, sizeSystem
  case itemGroupID
  case shipping, shippingLabel, shippingWeight, shippingLength, shippingWidth, shippingHeight
  case shipsFromCountry, maxHandlingTime, minHandlingTime, transitTimeLabel
  case tax, taxCategory
  case customLabel0, customLabel1, customLabel2, customLabel3, customLabel4
  case promotionID, excludedDestination, includedDestination, productHighlight, productDetail
  case merchantID, language

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The name as Merchant Center writes it: `image_link`.
  public var name: String { Self.names[rawValue] }

  /// Attributes that may repeat; in CSV and TSV several values are separated by commas.
  public var isList: Bool {
    switch self {
    case .additionalImageLink, .shipping, .tax, .excludedDestination, .includedDestination,
      .productHighlight, .productDetail, .promotionID:
      true
    default: false
    }
  }

  /// Attributes whose value has parts (`country:region:service:price`).
  public var subattributes: [String]? {
    switch self {
    case .shipping:
      [
        "country", "region", "service", "price", "postal_code", "location_id",
        "location_group_name",
      ]
    case .tax: ["country", "region", "rate", "tax_ship", "postal_code", "location_id"]
    case .productDetail: ["section_name", "attribute_name", "attribute_value"]
    default: nil
    }
  }

  /// Whether the value has parts (``subattributes``), without building their names.
  public var hasParts: Bool { self == .shipping || self == .tax || self == .productDetail }

  /// The Merchant Center text form of a structured value from its parts by name:
  /// `country:region:service:price`, trailing empty parts beyond the fourth left out.
  public func joined(_ parts: [String: String]) -> String {
    var values = (subattributes ?? []).map { parts[$0] ?? "" }
    while let last = values.last, last.isEmpty, values.count > 4 { values.removeLast() }
    return values.joined(separator: ":")
  }

  /// The attribute with this name, after header normalisation (`Image Link` → `image_link`).
  public init?(name: String) {
    guard let attribute = Self.byName[name] else { return nil }
    self = attribute
  }

  private static let names: [String] = allCases.map { snakeCase("\($0)") }
  private static let byName: [String: Attribute] = {
    var table: [String: Attribute] = [:]
    for attribute in allCases { table[attribute.name] = attribute }
    return table
  }()

  /// `itemGroupID` → `item_group_id`, `customLabel0` → `custom_label_0`.
  static func snakeCase(_ camel: String) -> String {
    var result = ""
    var previousWasUpper = false
    for character in camel {
      if character.isUppercase {
        if !result.isEmpty && !previousWasUpper { result.append("_") }
        result.append(Character(character.lowercased()))
        previousWasUpper = true
      } else if character.isNumber {
        result.append("_")
        result.append(character)
        previousWasUpper = false
      } else {
        result.append(character)
        previousWasUpper = false
      }
    }
    return result
  }
}
