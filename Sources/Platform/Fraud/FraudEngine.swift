/// A merchant's thresholds: above `reviewAt` an order waits in review, above `blockAt` it is
/// refused (thousandths).
public struct FraudPolicy: Sendable, Equatable, Encodable {
  public var reviewAt: Int
  public var blockAt: Int?

  public init(reviewAt: Int = 800, blockAt: Int? = nil) {
    self.reviewAt = reviewAt
    self.blockAt = blockAt
  }

  /// Without a policy of its own: review above 0.8, never refuse on the score alone.
  public static let standard = FraudPolicy()

  enum CodingKeys: String, CodingKey {
    case reviewAt = "review_at"
    case blockAt = "block_at"
  }
}

/// What the fraud module decided for an order, and why.
public struct FraudDecision: Sendable, Equatable {
  public var action: FraudAction
  public var score: FraudScore
  /// The rule that decided, when one fired.
  public var rule: String?

  /// The score's reasons, after the rule that decided.
  public var reasons: [String] {
    guard let rule else { return score.reasons }
    return ["rule \(rule)"] + score.reasons
  }
}

/// Decides orders: the rules in force first, else the score (the trained model, or the
/// built-in weights until one is trained) against the merchant's thresholds.
public struct FraudEngine: Sendable {
  public var rules: FraudRuleSet
  public var scorer: any FraudScorer
  public var policies: [String: FraudPolicy]
  /// The thresholds of merchants without a policy of their own.
  public var defaultPolicy = FraudPolicy.standard
  /// The model in force, when one was trained.
  public var model: FraudModel?

  public init(
    rules: FraudRuleSet = FraudRuleSet(), scorer: any FraudScorer = BuiltInFraudScorer(),
    policies: [String: FraudPolicy] = [:], model: FraudModel? = nil
  ) {
    self.rules = rules
    self.scorer = scorer
    self.policies = policies
    self.model = model
  }

  /// The thresholds of `merchant`.
  public func policy(_ merchant: String) -> FraudPolicy {
    policies[merchant] ?? defaultPolicy
  }

  public func decide(_ order: FraudOrder, _ signals: FraudSignals) -> FraudDecision {
    let score = scorer.score(order, signals)
    if let rule = rules.decide(order, signals) {
      return FraudDecision(action: rule.action, score: score, rule: "\(rule.name): \(rule.text)")
    }
    let policy = policy(order.merchant)
    let action: FraudAction =
      if let block = policy.blockAt, score.thousandths > block {
        .block
      } else if score.thousandths > policy.reviewAt {
        .review
      } else {
        .allow
      }
    return FraudDecision(action: action, score: score, rule: nil)
  }
}
