import Catalog
import Foundation
import Inventory
import MktCore
import Pricing
import Recommendations
import Store

/// `GET /v1/products/{id}`: the product, its price in force in a country, its stock, rating and
/// badges.
struct ProductView: Encodable {
  var product: Product
  /// The feed's attributes (`mkt feed normalize`'s JSON line), as an object.
  var attributes: [String: AnyJSON]
  var quote: Quote.Line?
  /// Why no price could be quoted in the country asked for (no exchange rate, say).
  var priceUnavailable: String?
  var stock: [StockLevel]
  var rating: Double?
  var reviews: Int?
  var badges: [String]?

  enum CodingKeys: String, CodingKey {
    case product, attributes, price, stock, rating, reviews, badges
    case priceUnavailable = "price_unavailable"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(product, forKey: .product)
    try container.encode(attributes, forKey: .attributes)
    try container.encodeIfPresent(quote, forKey: .price)
    try container.encodeIfPresent(priceUnavailable, forKey: .priceUnavailable)
    try container.encode(stock, forKey: .stock)
    try container.encodeIfPresent(rating, forKey: .rating)
    try container.encodeIfPresent(reviews, forKey: .reviews)
    try container.encodeIfPresent(badges, forKey: .badges)
  }

  /// Reads what belongs with `product`; the price in force only when `country` is given.
  static func make(_ product: Product, country: String?, store: Store) async throws
    -> ProductView
  {
    var quote: Quote.Line?
    var unavailable: String?
    if let country {
      let request = PricingService.Request(
        items: [PricingService.Item(product: product.id, merchant: product.merchantID)],
        country: country, at: store.clock.now())
      do {
        quote = try await PricingService(store: store).quote(request).lines.first
      } catch let error as any MktError where error.exitStatus != .software {
        // The product is still shown; the price says why it is missing.
        unavailable = error.description
      }
    }
    let stock = try await InventoryService(store: store).stock(
      sku: product.id, merchant: product.merchantID)
    let marks = try await RecommendationService(store: store).marks(
      of: product.id, country: country)
    let attributes =
      (try? JSONDecoder().decode([String: AnyJSON].self, from: Data(product.attributes.utf8)))
      ?? [:]
    return ProductView(
      product: product, attributes: attributes, quote: quote, priceUnavailable: unavailable,
      stock: stock,
      rating: marks.rating, reviews: marks.rating == nil ? nil : marks.reviews,
      badges: marks.badges.isEmpty ? nil : marks.badges.map(\.rawValue))
  }
}

/// Any JSON value, passed through as it was read.
enum AnyJSON: Codable, Sendable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case array([AnyJSON])
  case object([String: AnyJSON])
  case null

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([AnyJSON].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: AnyJSON].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .bool(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    case .null: try container.encodeNil()
    }
  }
}
