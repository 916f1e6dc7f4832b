/// What the fraud module sees of an order being placed: its keys, amount and time.
public struct FraudOrder: Sendable, Equatable {
  public var merchant: String
  public var customer: String
  public var email: String
  public var ip: String?
  public var device: String?
  /// A fingerprint of the card (the gateway's, never the number).
  public var card: String?
  /// The shipping country, the billing country and the IP's country.
  public var country: String
  public var billingCountry: String?
  public var ipCountry: String?
  /// When the customer's account was created, seconds since 1970.
  public var customerCreatedAt: Int64?
  /// The order total in euro cents (converted at the day's ECB rate).
  public var amountEuroCents: Int64
  /// The SKU of the order's largest line, and that line's quantity.
  public var mainSKU: String
  public var largestQuantity: Int
  /// When the order was placed, seconds since 1970: signals see no order placed after it.
  public var placedAt: Int64
  /// The channel the order came through (`web`, `app`, `marketplace`…), when sent.
  public var channel: String?

  public init(
    merchant: String, customer: String, email: String, country: String,
    amountEuroCents: Int64, mainSKU: String, largestQuantity: Int, placedAt: Int64
  ) {
    self.merchant = merchant
    self.customer = customer
    self.email = email
    self.country = country
    self.amountEuroCents = amountEuroCents
    self.mainSKU = mainSKU
    self.largestQuantity = largestQuantity
    self.placedAt = placedAt
  }
}

/// What the stored history says about an order, as it stood when the order was placed.
public struct FraudSignals: Sendable, Equatable, Encodable {
  /// Orders placed before this one with the same key, over the last hour, day and week.
  public struct Velocity: Sendable, Equatable, Encodable {
    public var hour = 0
    public var day = 0
    public var week = 0

    public init(hour: Int = 0, day: Int = 0, week: Int = 0) {
      (self.hour, self.day, self.week) = (hour, day, week)
    }
  }

  public var customer = Velocity()
  public var email = Velocity()
  public var ip = Velocity()
  public var device = Velocity()
  public var card = Velocity()
  /// The distinct cards the customer used over the last day, this order's included.
  public var cardsPerCustomer = 0
  /// The distinct customers seen on the order's device and IP over the last 30 days, the
  /// order's own included (0 without a device or IP).
  public var accountsPerDevice = 0
  public var accountsPerIP = 0
  /// Seconds from the account's creation to the order (`nil`: not sent).
  public var accountAge: Int64?
  /// The customer's earlier orders (counted up to 200), those of them paid by the order's
  /// time, and what they spent, in euro cents.
  public var customerOrders = 0
  public var customerOrdersPaid = 0
  public var customerSpentEuroCents: Int64 = 0
  /// How far the amount is from the customer's and the merchant's usual basket: a robust
  /// z-score of the amounts' logarithms (median and median absolute deviation; `nil` with
  /// fewer than 3 earlier orders in euro).
  public var amountAgainstCustomer: Double?
  public var amountAgainstMerchant: Double?
  /// The share of the merchant's last 100 orders whose main SKU is this order's.
  public var skuShare = 0.0
  public var billingMismatch = false
  public var ipMismatch = false
  /// Payments declined over the last day, by the order's customer, card, IP and device.
  public struct Declines: Sendable, Equatable, Encodable {
    public var customer = 0
    public var card = 0
    public var ip = 0
    public var device = 0
  }

  public var declines = Declines()
  /// The customer ordered before, never from this IP, or never with this email.
  public var newIPForCustomer = false
  public var newEmailForCustomer = false

  public init() {}
}
