import Foundation
public import MktCore

/// An order as a shop's checkout (or `mkt orders place`) submits it: gen.py's order format.
public struct OrderRequest: Sendable, Equatable, Decodable {
  public struct Customer: Sendable, Equatable, Decodable {
    public var id: String
    public var email: String
    public var group: String?
    /// When the customer's account was created (ISO 8601): fraud scoring weighs a brand-new
    /// account buying at once.
    public var createdAt: String?

    public init(id: String, email: String, group: String? = nil, createdAt: String? = nil) {
      self.id = id
      self.email = email
      self.group = group
      self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
      case id, email, group
      case createdAt = "created_at"
    }
  }

  public struct Line: Sendable, Equatable, Decodable {
    public var sku: String
    public var quantity: Int

    public init(sku: String, quantity: Int) {
      self.sku = sku
      self.quantity = quantity
    }
  }

  /// How the customer pays.
  ///
  /// A method of the shipped table (`mkt payment methods`) the merchant offers in the
  /// shipping country. `card` is charged at placement; redirect methods
  /// (iDEAL, BLIK, Swish…), SEPA debit, `invoice` and `bank_transfer` leave the order `pending`
  /// until `mkt payment confirm` or `mkt orders pay` (or expiry).
  public struct Payment: Sendable, Equatable, Decodable {
    public var method: String
    public var token: String?

    public init(method: String = "card", token: String? = nil) {
      self.method = method
      self.token = token
    }
  }

  /// The most lines an order may have.
  public static let maximumLines = 1_000

  /// The client's key: placing the same key again returns the first order, never a second.
  public var idempotencyKey: String
  public var merchant: String
  public var customer: Customer
  /// The shipping country.
  public var country: String
  public var billingCountry: String?
  public var ip: String?
  public var ipCountry: String?
  /// The currency the customer pays in: the shipping country's.
  public var currency: String?
  public var lines: [Line]
  public var codes: [String]
  /// Shipping, gross, in `currency`.
  public var shipping: String?
  public var payment: Payment
  /// When the order was placed (default: now), ISO 8601.
  public var placedAt: String?
  /// What the checkout knows of the shopper's device and card, for fraud signals: a device
  /// id, a fingerprint of the card (the gateway's, never the number), the browser's user agent
  /// and the channel (`web`, `app`, `marketplace`…).
  public var deviceID: String?
  public var cardFingerprint: String?
  public var userAgent: String?
  public var channel: String?

  public init(
    idempotencyKey: String, merchant: String, customer: Customer, country: String,
    lines: [Line]
  ) {
    self.idempotencyKey = idempotencyKey
    self.merchant = merchant
    self.customer = customer
    self.country = country
    self.lines = lines
    codes = []
    payment = Payment()
  }

  enum CodingKeys: String, CodingKey {
    case merchant, customer, country, ip, currency, lines, codes, shipping, payment
    case idempotencyKey = "idempotency_key"
    case billingCountry = "billing_country"
    case ipCountry = "ip_country"
    case promoCode = "promo_code"
    case placedAt = "placed_at"
    case deviceID = "device_id"
    case cardFingerprint = "card_fingerprint"
    case userAgent = "user_agent"
    case channel
  }

  /// A digest of the order as submitted (all but its key and time), to tell a retry of the
  /// same order from another order sent under the same key.
  ///
  /// FNV-1a over the fields in a fixed order: a retry gives the same text; it guards against
  /// mistakes, not forgery (keys are scoped to their merchant).
  public var digest: String {
    var fields: [String] = [
      merchant, customer.id, customer.email, customer.group ?? "", country,
      billingCountry ?? "", ip ?? "", ipCountry ?? "", currency ?? "", shipping ?? "",
      payment.method, payment.token ?? "", codes.joined(separator: ","),
      lines.map { "\($0.sku)*\($0.quantity)" }.joined(separator: ","),
    ]
    // Fields added later join only when sent, so an order stored before them keeps its digest.
    let later = [
      customer.createdAt ?? "", deviceID ?? "", cardFingerprint ?? "", userAgent ?? "",
      channel ?? "",
    ]
    if later.contains(where: { !$0.isEmpty }) { fields += later }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in fields.joined(separator: "\u{1F}").utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// What a decoder's `userInfo[OrderRequest.given]` supplies: the key from an HTTP header and
  /// the merchant of the caller's token, which win over the body's.
  public struct Given: Sendable {
    public var idempotencyKey: String
    public var merchant: String?

    public init(idempotencyKey: String, merchant: String?) {
      self.idempotencyKey = idempotencyKey
      self.merchant = merchant
    }
  }

  /// The `userInfo` key of ``Given``.
  public static let given: CodingUserInfoKey = {
    guard let key = CodingUserInfoKey(rawValue: "mkt.order.given") else {
      fatalError("a constant, valid key")  // safe: never nil for a non-empty name
    }
    return key
  }()

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let given = decoder.userInfo[Self.given] as? Given
    idempotencyKey =
      try given?.idempotencyKey ?? container.decode(String.self, forKey: .idempotencyKey)
    merchant = try given?.merchant ?? container.decode(String.self, forKey: .merchant)
    customer = try container.decode(Customer.self, forKey: .customer)
    country = try container.decode(String.self, forKey: .country)
    billingCountry = try container.decodeIfPresent(String.self, forKey: .billingCountry)
    ip = try container.decodeIfPresent(String.self, forKey: .ip)
    ipCountry = try container.decodeIfPresent(String.self, forKey: .ipCountry)
    currency = try container.decodeIfPresent(String.self, forKey: .currency)
    lines = try container.decode([Line].self, forKey: .lines)
    codes = try container.decodeIfPresent([String].self, forKey: .codes) ?? []
    if let code = try container.decodeIfPresent(String.self, forKey: .promoCode) {
      codes.append(code)
    }
    shipping = try container.decodeIfPresent(String.self, forKey: .shipping)
    payment = try container.decodeIfPresent(Payment.self, forKey: .payment) ?? Payment()
    placedAt = try container.decodeIfPresent(String.self, forKey: .placedAt)
    deviceID = try container.decodeIfPresent(String.self, forKey: .deviceID)
    cardFingerprint = try container.decodeIfPresent(String.self, forKey: .cardFingerprint)
    userAgent = try container.decodeIfPresent(String.self, forKey: .userAgent)
    channel = try container.decodeIfPresent(String.self, forKey: .channel)
  }
}

/// Where an order is in its life.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
  case pending, paid, review, rejected, cancelled, completed, refunded
  case partiallyFulfilled = "partially_fulfilled"
  case fulfilled
}

/// An order as stored.
public struct Order: Sendable, Equatable, Encodable {
  public struct Line: Sendable, Equatable, Encodable {
    public var line: Int
    public var sku: String
    public var title: String
    public var warehouseID: String
    public var quantity: Int
    public var unit: String
    public var total: String
    public var vat: String
    public var vatRate: String
    public var fulfilled: Int
    public var refunded: Int

    enum CodingKeys: String, CodingKey {
      case line, sku, title, quantity, unit, total, vat, fulfilled, refunded
      case warehouseID = "warehouse_id"
      case vatRate = "vat_rate"
    }
  }

  public struct Event: Sendable, Equatable, Encodable {
    public var from: String?
    public var to: String
    public var note: String
    public var at: String
  }

  public var id: Int64
  public var idempotencyKey: String
  public var merchantID: String
  public var customerID: String
  public var email: String
  public var country: String
  public var currency: String
  public var subtotal: String
  public var vat: String
  public var discount: String
  public var shipping: String
  public var total: String
  public var refunded: String
  public var status: OrderStatus
  /// Fraud score in [0, 1], three decimals.
  public var fraudScore: String
  public var fraudReasons: [String]
  public var paymentMethod: String
  public var paymentReference: String?
  public var codes: [String]
  public var placedAt: String
  public var updatedAt: String
  public var lines: [Line]
  public var events: [Event]
  /// What the checkout sent of the shopper (fraud signals), when it did.
  public var customerCreatedAt: String? = nil
  public var deviceID: String? = nil
  public var cardFingerprint: String? = nil
  public var userAgent: String? = nil
  public var channel: String? = nil

  enum CodingKeys: String, CodingKey {
    case id, email, country, currency, subtotal, vat, discount, shipping, total, refunded
    case status, codes, lines, events
    case idempotencyKey = "idempotency_key"
    case merchantID = "merchant_id"
    case customerID = "customer_id"
    case fraudScore = "fraud_score"
    case fraudReasons = "fraud_reasons"
    case paymentMethod = "payment_method"
    case paymentReference = "payment_reference"
    case placedAt = "placed_at"
    case updatedAt = "updated_at"
    case customerCreatedAt = "customer_created_at"
    case deviceID = "device_id"
    case cardFingerprint = "card_fingerprint"
    case userAgent = "user_agent"
    case channel
  }
}

/// What placing an order did.
public struct Placement: Sendable, Equatable, Encodable {
  public var orderID: Int64
  public var status: OrderStatus
  public var total: String
  public var currency: String
  public var fraudScore: String
  /// `true` when the idempotency key had placed this order before: nothing new was written.
  public var replayed: Bool

  enum CodingKeys: String, CodingKey {
    case status, total, currency, replayed
    case orderID = "order_id"
    case fraudScore = "fraud_score"
  }
}

/// Why an order cannot be placed or changed.
///
/// Nothing was reserved or written.
public enum OrderError: MktError, Equatable {
  case invalidRequest(String)
  case unknownProduct(sku: String, merchant: String)
  case currencyNotUsed(currency: String, country: String, expected: String)
  case codeNotUsable(code: String, reason: String)
  case outOfStock(sku: String, requested: Int, available: Int)
  /// A payment method the order cannot use here: unknown, not offered in the country or
  /// currency, outside its amount limits, or not offered by the merchant.
  case paymentMethodUnavailable(method: String, reason: String, alternatives: [String])
  case paymentDeclined(String)
  case paymentFailed(String)
  case notFound(Int64)
  case illegalTransition(order: Int64, status: OrderStatus, action: String, allowed: [String])
  /// The merchant used this idempotency key for another order.
  case keyReused(key: String, order: Int64)
  /// Refused by the fraud checks: a block rule or a score above the merchant's block
  /// threshold. Nothing was reserved or charged; the refusal is recorded under the key.
  case fraudRefused(score: String, reasons: [String])
  /// An export file could not be created (73).
  case cannotCreate(path: String, reason: String)
  /// Writing or flushing an export file failed (74).
  case writeFailed(path: String, reason: String)

  public var exitStatus: SysExit {
    switch self {
    case .paymentFailed: .unavailable
    case .cannotCreate: .cantCreate
    case .writeFailed: .ioError
    default: .dataError
    }
  }

  public var description: String {
    switch self {
    case .invalidRequest(let message): message
    case .unknownProduct(let sku, let merchant): "no product \(sku) of merchant \(merchant)"
    case .currencyNotUsed(let currency, let country, let expected):
      "\(country) does not pay in \(currency) (it uses \(expected))"
    case .codeNotUsable(let code, let reason): "code \(code) cannot be used: \(reason)"
    case .outOfStock(let sku, let requested, let available):
      "not enough stock of \(sku): \(requested) asked, \(available) available in warehouses "
        + "serving the shipping country"
    case .paymentMethodUnavailable(let method, let reason, let alternatives):
      "payment method '\(method)' cannot be used: \(reason); "
        + (alternatives.isEmpty
          ? "no method would take this order"
          : "methods that would: \(alternatives.joined(separator: ", "))")
    case .paymentDeclined(let reason): "payment declined: \(reason)"
    case .paymentFailed(let reason): "payment gateway failed: \(reason)"
    case .fraudRefused(let score, let reasons):
      "refused by the fraud checks (score \(score))"
        + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; "))
    case .notFound(let id): "no order \(id)"
    case .illegalTransition(let order, let status, let action, let allowed):
      "order \(order) is \(status.rawValue): it cannot be \(action)"
        + (allowed.isEmpty ? " (it is final)" : " (allowed: \(allowed.joined(separator: ", ")))")
    case .keyReused(let key, let order):
      "idempotency key \(key) was used for order \(order), with a different order: key reused "
        + "with a different order"
    case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
    case .writeFailed(let path, let reason): "writing \(path) failed: \(reason)"
    }
  }

  public var hint: String? {
    switch self {
    case .paymentFailed: "nothing was charged or reserved; retry with the same idempotency key"
    case .outOfStock: "nothing was reserved; mkt inventory show SKU lists the stock"
    case .writeFailed: "check free disk space where the export goes; no watermark moved"
    case .keyReused: "send a new idempotency key for a new order; a retry must repeat the order"
    case .fraudRefused:
      "nothing was reserved or charged; mkt fraud refusals lists refused orders, mkt fraud "
        + "policy and mkt fraud rules set what is refused"
    default: nil
    }
  }
}

extension Money {
  /// `units` of `currency` as `12.34`.
  static func text(_ units: Int64, _ currency: String) -> String {
    Money(minorUnits: units, currency: CurrencyCode(currency) ?? .eur).decimalString
  }
}
