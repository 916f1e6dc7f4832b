public import MktCore

/// A pricing rule: data loaded from a rules file (`mkt pricing load`), evaluated by
/// ``PricingEngine``.
///
/// Amounts are decimal text in the rule's `currency` (a rule with amounts applies only to
/// products priced in that currency) and act on the merchant's own price basis (net or gross).
public struct PricingRule: Sendable, Equatable, Codable {
  /// What the rule does.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// `percent` off the unit price.
    case percentageOff = "percentage_off"
    /// `amount` off the unit price (never below zero).
    case amountOff = "amount_off"
    /// The unit price becomes `amount`.
    case fixedPrice = "fixed_price"
    /// Quantity tiers: the highest tier whose `min_quantity` the line reaches sets a `percent`
    /// off or a unit `amount`.
    case tiered
    /// For every `buy` + `get` units of a line, `get` are free.
    case buyXGetY = "buy_x_get_y"
    /// All of `products` together cost `amount` per set.
    case bundle
    /// Shipping is free when the basket's gross total reaches `amount`.
    case freeShipping = "free_shipping"
    /// Consumer gross prices end in `ending` (nearest such price; `0.99`).
    case charmRounding = "charm_rounding"
    /// The merchant's gross price is the consumer price in every country; the net absorbs VAT
    /// differences.
    case fixedGross = "fixed_gross"
    /// A bounded adjustment from stock or demand (see ``Dynamic``).
    case dynamic

    /// Kinds that change a line's price (the ones whose order matters).
    var changesLinePrice: Bool {
      switch self {
      case .percentageOff, .amountOff, .fixedPrice, .tiered, .buyXGetY, .bundle, .dynamic: true
      case .freeShipping, .charmRounding, .fixedGross: false
      }
    }
  }

  /// Which products, countries and customers a rule applies to; an empty list means all.
  public struct Scope: Sendable, Equatable, Codable {
    public var merchants: [String] = []
    public var countries: [CountryCode] = []
    /// Prefixes of the taxonomy path (`Apparel & Accessories > Shoes`).
    public var categories: [String] = []
    public var brands: [String] = []
    public var products: [String] = []
    public var customerGroups: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
      case merchants, countries, categories, brands, products
      case customerGroups = "customer_groups"
    }
  }

  /// When a rule is active: `[start, end)` in local time of `timezone`, optionally only on
  /// some weekdays and inside a daily window (happy hours).
  public struct Schedule: Sendable, Equatable, Codable {
    /// Local date-time `YYYY-MM-DDTHH:MM[:SS]`, inclusive.
    public var start: String?
    /// Local date-time, exclusive.
    public var end: String?
    /// An IANA zone, `Europe/Berlin`.
    public var timezone: String
    /// Daily window start, `HH:MM` local, inclusive.
    public var dailyFrom: String?
    /// Daily window end, `HH:MM` local, exclusive; before `daily_from` means overnight.
    public var dailyTo: String?
    /// Weekdays, `mon` … `sun`; empty means every day.
    public var days: [String] = []

    public init(timezone: String) { self.timezone = timezone }

    enum CodingKeys: String, CodingKey {
      case start, end, timezone, days
      case dailyFrom = "daily_from"
      case dailyTo = "daily_to"
    }
  }

  /// One quantity tier.
  public struct Tier: Sendable, Equatable, Codable {
    public var minQuantity: Int
    public var percent: Percentage?
    public var amount: String?

    public init(minQuantity: Int, percent: Percentage? = nil, amount: String? = nil) {
      self.minQuantity = minQuantity
      self.percent = percent
      self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
      case percent, amount
      case minQuantity = "min_quantity"
    }
  }

  /// Promo-code limits.
  public struct Limits: Sendable, Equatable, Codable {
    /// Redemptions in all.
    public var uses: Int?
    /// Redemptions per customer.
    public var perCustomer: Int?

    public init(uses: Int? = nil, perCustomer: Int? = nil) {
      self.uses = uses
      self.perCustomer = perCustomer
    }

    enum CodingKeys: String, CodingKey {
      case uses
      case perCustomer = "per_customer"
    }
  }

  /// A bounded price adjustment from a signal.
  ///
  /// Formula (percent of the unit price, then clamped to `[floor, ceiling]`):
  /// - `stock`: `step × (threshold − available) ÷ threshold` while available < threshold, else
  ///   0 — scarcity raises the price linearly up to `step` at zero stock;
  /// - `demand`: `step × units sold in the last 24 h ÷ threshold` — demand raises it.
  /// A negative `step` lowers instead (clearance of overstock uses `stock` with a negative
  /// step and a large threshold).
  public struct Dynamic: Sendable, Equatable, Codable {
    public enum Signal: String, Sendable, Codable { case stock, demand }
    public var signal: Signal
    public var threshold: Int
    public var step: Percentage
    public var floor: Percentage
    public var ceiling: Percentage

    public init(
      signal: Signal, threshold: Int, step: Percentage, floor: Percentage, ceiling: Percentage
    ) {
      self.signal = signal
      self.threshold = threshold
      self.step = step
      self.floor = floor
      self.ceiling = ceiling
    }
  }

  public var id: String
  public var kind: Kind
  /// Higher runs first.
  public var priority: Int = 0
  /// After this rule applies, no later rule is considered.
  public var stopFurtherRules = false
  /// Whether it combines with other price-changing rules; a non-stackable rule applies only
  /// to a price no other rule changed, and nothing applies after it.
  public var stackable = true
  public var scope = Scope()
  public var schedule: Schedule?
  /// A promo code the customer must give (case-insensitive).
  public var code: String?
  public var limits: Limits?
  /// The basket's gross total (in `currency`) a code needs.
  public var minBasket: String?
  public var percent: Percentage?
  public var amount: String?
  public var currency: CurrencyCode?
  public var tiers: [Tier] = []
  public var buy: Int?
  public var get: Int?
  public var products: [String] = []
  public var ending: String?
  public var dynamic: Dynamic?
  /// Where the rule was defined, `rules.yaml:12`.
  public var source: String?

  public init(id: String, kind: Kind) {
    self.id = id
    self.kind = kind
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case id, kind, priority, stackable, scope, schedule, code, limits, percent, amount
    case currency, tiers, buy, get, products, ending, dynamic, source
    case stopFurtherRules = "stop_further_rules"
    case minBasket = "min_basket"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    kind = try container.decode(Kind.self, forKey: .kind)
    priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
    stopFurtherRules = try container.decodeIfPresent(Bool.self, forKey: .stopFurtherRules) ?? false
    stackable = try container.decodeIfPresent(Bool.self, forKey: .stackable) ?? true
    scope = try container.decodeIfPresent(Scope.self, forKey: .scope) ?? Scope()
    schedule = try container.decodeIfPresent(Schedule.self, forKey: .schedule)
    code = try container.decodeIfPresent(String.self, forKey: .code)
    limits = try container.decodeIfPresent(Limits.self, forKey: .limits)
    minBasket = try container.decodeIfPresent(String.self, forKey: .minBasket)
    percent = try container.decodeIfPresent(Percentage.self, forKey: .percent)
    amount = try container.decodeIfPresent(String.self, forKey: .amount)
    currency = try container.decodeIfPresent(CurrencyCode.self, forKey: .currency)
    tiers = try container.decodeIfPresent([Tier].self, forKey: .tiers) ?? []
    buy = try container.decodeIfPresent(Int.self, forKey: .buy)
    get = try container.decodeIfPresent(Int.self, forKey: .get)
    products = try container.decodeIfPresent([String].self, forKey: .products) ?? []
    ending = try container.decodeIfPresent(String.self, forKey: .ending)
    dynamic = try container.decodeIfPresent(Dynamic.self, forKey: .dynamic)
    source = try container.decodeIfPresent(String.self, forKey: .source)
  }
}

extension PricingRule.Scope {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    merchants = try container.decodeIfPresent([String].self, forKey: .merchants) ?? []
    countries = try container.decodeIfPresent([CountryCode].self, forKey: .countries) ?? []
    categories = try container.decodeIfPresent([String].self, forKey: .categories) ?? []
    brands = try container.decodeIfPresent([String].self, forKey: .brands) ?? []
    products = try container.decodeIfPresent([String].self, forKey: .products) ?? []
    customerGroups = try container.decodeIfPresent([String].self, forKey: .customerGroups) ?? []
  }
}

extension PricingRule.Schedule {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    start = try container.decodeIfPresent(String.self, forKey: .start)
    end = try container.decodeIfPresent(String.self, forKey: .end)
    timezone = try container.decode(String.self, forKey: .timezone)
    dailyFrom = try container.decodeIfPresent(String.self, forKey: .dailyFrom)
    dailyTo = try container.decodeIfPresent(String.self, forKey: .dailyTo)
    days = try container.decodeIfPresent([String].self, forKey: .days) ?? []
  }
}
