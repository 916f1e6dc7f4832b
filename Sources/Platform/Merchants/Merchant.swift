public import MktCore

/// A seller on the marketplace; every merchant-owned row elsewhere carries its `id`.
public struct Merchant: Sendable, Equatable, Codable {
  /// The merchant's id: 1–64 characters of letters, digits, `.`, `_` or `-`, starting with a
  /// letter or digit (`M001`, `acme-de`).
  public var id: String
  /// The shop's display name.
  public var name: String
  /// The country the merchant is established in.
  public var country: CountryCode
  /// The currency its prices are in.
  public var currency: CurrencyCode
  /// Whether its prices include VAT.
  public var priceBasis: PriceBasis
  /// The shop's web domain, such as `acme-shop.de`.
  public var domain: String?
  /// When the merchant was added (UTC, ISO-8601).
  public var createdAt: String?
  /// When the merchant was last changed (UTC, ISO-8601).
  public var updatedAt: String?

  public init(
    id: String, name: String, country: CountryCode, currency: CurrencyCode? = nil,
    priceBasis: PriceBasis = .gross, domain: String? = nil
  ) {
    self.id = id
    self.name = name
    self.country = country
    self.currency = currency ?? country.currency
    self.priceBasis = priceBasis
    self.domain = domain
  }

  enum CodingKeys: String, CodingKey {
    case id, name, country, currency, domain
    case priceBasis = "prices"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
  }

  /// Whether the stored fields (not the timestamps) are the same.
  func sameFields(as other: Merchant) -> Bool {
    id == other.id && name == other.name && country == other.country
      && currency == other.currency && priceBasis == other.priceBasis && domain == other.domain
  }
}

/// Whether a merchant's prices include VAT (consumer, gross) or exclude it (net).
public enum PriceBasis: String, Sendable, Codable, CaseIterable {
  case gross
  case net
}
