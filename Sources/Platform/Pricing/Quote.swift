public import Foundation
public import Localization
public import Merchants
public import MktCore

/// What pricing needs to know about a product.
public struct PricedProduct: Sendable, Equatable {
  public var merchantID: String
  public var id: String
  /// The product's title, for order lines.
  public var title: String?
  /// The list price, in the merchant's currency and price basis.
  public var price: Money
  /// The feed's `sale_price`, honoured inside its effective dates as the built-in rule
  /// `feed-sale-price`.
  public var salePrice: Money?
  public var saleStart: Date?
  public var saleEnd: Date?
  /// The taxonomy path (`google_product_category`, else `product_type`).
  public var category: String? {
    didSet { categoryKey = category?.lowercased() ?? "" }
  }
  public var brand: String? {
    didSet { brandKey = brand?.lowercased() ?? "" }
  }
  /// `brand` and `category` lower-cased once, for rule scopes.
  var brandKey = ""
  var categoryKey = ""
  public var basis: PriceBasis
  public var merchantCountry: CountryCode
  /// 0 for the standard VAT rate, n for the n-th reduced rate of the country.
  public var vatClass: Int
  /// Available stock, for dynamic rules.
  public var available: Int?
  /// Units sold in the last 24 hours, for dynamic rules.
  public var soldLastDay: Int?

  public init(
    merchantID: String, id: String, price: Money, basis: PriceBasis = .gross,
    merchantCountry: CountryCode
  ) {
    self.merchantID = merchantID
    self.id = id
    self.price = price
    self.basis = basis
    self.merchantCountry = merchantCountry
    vatClass = 0
  }
}

/// A request for prices: products and quantities, where, when, for whom.
public struct QuoteRequest: Sendable {
  public struct Line: Sendable {
    public var product: PricedProduct
    public var quantity: Int

    public init(product: PricedProduct, quantity: Int) {
      self.product = product
      self.quantity = quantity
    }
  }

  public var lines: [Line]
  public var country: Country
  /// The currency to quote in (default: the country's).
  public var currency: CurrencyCode
  public var at: Date
  public var customerGroup: String?
  public var customer: String?
  /// Promo codes given.
  public var codes: [String]
  /// Shipping for the basket, gross, in `currency`.
  public var shipping: Money?
  /// ECB rates (units per euro) for converting between currencies; EUR is implied.
  public var rates: [CurrencyCode: ExactDecimal]
  /// The ECB day `rates` are from, reported in the quote when a price was converted.
  public var rateDay: String?
  /// Whether the quote lists skipped rules and their reasons (the trace `explain` shows);
  /// bulk quoting turns it off.
  public var explain = true
  /// Redemptions so far per code (upper case): in all and by this customer.
  public var redemptions: [String: (total: Int, customer: Int)]

  public init(lines: [Line], country: Country, currency: CurrencyCode? = nil, at: Date) {
    self.lines = lines
    self.country = country
    self.currency = currency ?? country.currency
    self.at = at
    codes = []
    rates = [:]
    redemptions = [:]
  }
}

/// Prices per line and in total, with the rules applied and skipped and why.
public struct Quote: Sendable, Equatable, Encodable {
  /// One line.
  public struct Line: Sendable, Equatable, Encodable {
    public var productID: String
    public var merchantID: String
    public var quantity: Int
    /// The consumer unit price before any rule, gross, in the quote's currency.
    public var listUnit: Money
    /// The consumer unit price after rules and rounding, gross.
    public var unit: Money
    /// Units paid for (fewer than `quantity` after buy X get Y).
    public var paidQuantity: Int
    public var net: Money
    public var vat: Money
    public var vatRate: Percentage
    /// The line's gross total.
    public var total: Money

    enum CodingKeys: String, CodingKey {
      case quantity, net, vat, total
      case productID = "product_id"
      case merchantID = "merchant_id"
      case listUnit = "list_unit"
      case unit
      case paidQuantity = "paid_quantity"
      case vatRate = "vat_rate"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(productID, forKey: .productID)
      try container.encode(merchantID, forKey: .merchantID)
      try container.encode(quantity, forKey: .quantity)
      try container.encode(paidQuantity, forKey: .paidQuantity)
      try container.encode(listUnit.decimalString, forKey: .listUnit)
      try container.encode(unit.decimalString, forKey: .unit)
      try container.encode(net.decimalString, forKey: .net)
      try container.encode(vat.decimalString, forKey: .vat)
      try container.encode(vatRate, forKey: .vatRate)
      try container.encode(total.decimalString, forKey: .total)
    }
  }

  /// A rule that changed something.
  public struct Applied: Sendable, Equatable, Encodable {
    public var rule: String
    public var kind: String
    public var productID: String?
    /// What it did, `99.00 → 79.20 EUR`.
    public var effect: String

    enum CodingKeys: String, CodingKey {
      case rule, kind, effect
      case productID = "product_id"
    }
  }

  /// A rule that did not apply, and why.
  public struct Skipped: Sendable, Equatable, Encodable {
    public var rule: String
    public var productID: String?
    public var reason: String

    enum CodingKeys: String, CodingKey {
      case rule, reason
      case productID = "product_id"
    }
  }

  public var country: CountryCode
  public var currency: CurrencyCode
  public var at: String
  public var lines: [Line]
  public var subtotal: Money
  public var net: Money
  public var vat: Money
  /// Money off list prices across all lines.
  public var discount: Money
  public var shipping: Money
  public var total: Money
  /// The total as paid in cash where the country rounds (CHF to 0.05); else the total.
  public var payable: Money
  public var applied: [Applied]
  public var skipped: [Skipped]
  /// Things a shopper should be told: an expired or exhausted code, a basket below a minimum.
  public var messages: [String]

  enum CodingKeys: String, CodingKey {
    case country, currency, at, lines, subtotal, net, vat, discount, shipping, total, payable
    case applied, skipped, messages
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(country, forKey: .country)
    try container.encode(currency, forKey: .currency)
    try container.encode(at, forKey: .at)
    try container.encode(lines, forKey: .lines)
    for (key, value) in [
      (CodingKeys.subtotal, subtotal), (.net, net), (.vat, vat), (.discount, discount),
      (.shipping, shipping), (.total, total), (.payable, payable),
    ] {
      try container.encode(value.decimalString, forKey: key)
    }
    try container.encode(applied, forKey: .applied)
    try container.encode(skipped, forKey: .skipped)
    try container.encode(messages, forKey: .messages)
  }
}
