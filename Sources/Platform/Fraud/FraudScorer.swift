/// A fraud score in [0, 1] (thousandths) and the reasons behind it.
public struct FraudScore: Sendable, Equatable {
  public var thousandths: Int
  public var reasons: [String]

  public init(thousandths: Int, reasons: [String]) {
    self.thousandths = min(1000, max(0, thousandths))
    self.reasons = reasons
  }

  /// Above 0.8 — the standard review threshold — the order waits in `review`.
  public var needsReview: Bool { thousandths > FraudPolicy.standard.reviewAt }
}

/// Scores an order from what it is and what the history said when it was placed.
public protocol FraudScorer: Sendable {
  func score(_ order: FraudOrder, _ signals: FraudSignals) -> FraudScore
}

/// The built-in weights: points per signal, added up and capped at 1.
///
/// Velocity per customer, email, IP, device and card; a brand-new account buying a large
/// basket at once; many accounts behind one device; several cards on one customer; the amount
/// against the customer's history; a first order of high value; country mismatches between
/// shipping, billing and the IP's country; repeated bulk orders.
public struct BuiltInFraudScorer: FraudScorer {
  public init() {}

  public func score(_ order: FraudOrder, _ signals: FraudSignals) -> FraudScore {
    var points = 0
    var reasons: [String] = []
    func add(_ value: Int, _ reason: String) {
      points += value
      reasons.append(reason)
    }
    if signals.ip.hour >= 3 {
      add(
        signals.ip.hour >= 6 ? 600 : 350,
        "\(signals.ip.hour) orders from IP \(order.ip ?? "") in the last hour")
    }
    let byCustomer = max(signals.customer.hour, signals.email.hour)
    if byCustomer >= 3 { add(300, "\(byCustomer) orders by this customer in the last hour") }
    if signals.device.hour >= 3 {
      add(350, "\(signals.device.hour) orders from this device in the last hour")
    }
    if signals.card.hour >= 3 {
      add(350, "\(signals.card.hour) orders with this card in the last hour")
    }
    if signals.cardsPerCustomer >= 3 {
      add(350, "\(signals.cardsPerCustomer) cards used by this customer in a day")
    }
    if signals.accountsPerDevice >= 3 {
      add(
        signals.accountsPerDevice >= 5 ? 600 : 350,
        "\(signals.accountsPerDevice) accounts on this device in 30 days")
    }
    if let age = signals.accountAge, age < 3_600, order.amountEuroCents > 20_000 {
      add(350, "account created \(max(age, 0) / 60) min before an order above 200 EUR")
    }
    if signals.customerOrders == 0, order.amountEuroCents > 50_000 {
      add(300, "first order of the customer above 500 EUR")
    } else if signals.customerOrders >= 2,
      order.amountEuroCents.multipliedReportingOverflow(by: Int64(signals.customerOrders))
        .partialValue > 5 * signals.customerSpentEuroCents
    {
      add(300, "more than five times the customer's usual order")
    }
    if signals.billingMismatch, let billing = order.billingCountry {
      add(250, "billing country \(billing) differs from shipping \(order.country)")
    }
    if signals.ipMismatch, let ipCountry = order.ipCountry {
      add(300, "IP in \(ipCountry), shipping to \(order.country)")
    }
    if order.largestQuantity >= 5, signals.customer.hour >= 2 {
      add(300, "repeated orders of \(order.largestQuantity) units")
    }
    return FraudScore(thousandths: points, reasons: reasons)
  }
}
