public import GRDB

/// What a fraud scorer sees of an order being placed.
public struct FraudInput: Sendable {
  public var customerID: String
  public var email: String
  public var ip: String?
  public var country: String
  public var billingCountry: String?
  public var ipCountry: String?
  /// The order total in euro cents (converted at the day's ECB rate).
  public var totalEuroCents: Int64
  public var largestQuantity: Int
  public var placedAt: String
  /// One hour before `placedAt`.
  public var windowStart: String
}

/// A fraud score in [0, 1] (thousandths) and the reasons behind it.
public struct FraudScore: Sendable, Equatable {
  public var thousandths: Int
  public var reasons: [String]

  public init(thousandths: Int, reasons: [String]) {
    self.thousandths = min(1000, max(0, thousandths))
    self.reasons = reasons
  }

  /// Above 0.8 the order waits in `review`, its stock reserved.
  public var needsReview: Bool { thousandths > 800 }
}

/// Scores an order inside the placement transaction, so it sees every order committed or
/// placed before it in the same batch.
public protocol FraudScorer: Sendable {
  func score(_ input: FraudInput, _ db: Database) throws -> FraudScore
}

/// The rules-based scorer.
///
/// Velocity per customer, email and IP over the last hour, the amount against the customer's
/// history, a first order of high value, and country mismatches between shipping, billing and
/// the IP's country. Points add up, capped at 1.
public struct RulesFraudScorer: FraudScorer {
  public init() {}

  public func score(_ input: FraudInput, _ db: Database) throws -> FraudScore {
    var points = 0
    var reasons: [String] = []
    func count(_ column: String, _ value: String?) throws -> Int {
      guard let value else { return 0 }
      return try Int.fetchOne(
        db.cachedStatement(
          sql: "SELECT count(*) FROM orders WHERE \(column) = ? AND placed_at >= ?"),
        arguments: [value, input.windowStart]) ?? 0
    }
    let byEmail = try count("email", input.email)
    let byIP = try count("ip", input.ip)
    // The customer's orders in the window, in all, and what they spent, in one probe.
    let history = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT count(*) FILTER (WHERE placed_at >= ?), count(*), coalesce(sum(total_minor), 0)
          FROM orders WHERE customer_id = ?
          """), arguments: [input.windowStart, input.customerID])
    let byCustomer: Int = history?[0] ?? 0
    let previous: Int64 = history?[1] ?? 0
    let spent: Int64 = history?[2] ?? 0
    if byIP >= 3 {
      points += byIP >= 6 ? 600 : 350
      reasons.append("\(byIP) orders from IP \(input.ip ?? "") in the last hour")
    }
    if byCustomer >= 3 || byEmail >= 3 {
      points += 300
      reasons.append("\(max(byCustomer, byEmail)) orders by this customer in the last hour")
    }
    if previous == 0, input.totalEuroCents > 50_000 {
      points += 300
      reasons.append("first order of the customer above 500 EUR")
    } else if previous >= 2,
      input.totalEuroCents.multipliedReportingOverflow(by: previous)
        .partialValue > 5 * spent
    {
      points += 300
      reasons.append("more than five times the customer's usual order")
    }
    if let billing = input.billingCountry, billing != input.country {
      points += 250
      reasons.append("billing country \(billing) differs from shipping \(input.country)")
    }
    if let ipCountry = input.ipCountry, ipCountry != input.country {
      points += 300
      reasons.append("IP in \(ipCountry), shipping to \(input.country)")
    }
    if input.largestQuantity >= 5, byCustomer >= 2 {
      points += 300
      reasons.append("repeated orders of \(input.largestQuantity) units")
    }
    return FraudScore(thousandths: points, reasons: reasons)
  }
}
