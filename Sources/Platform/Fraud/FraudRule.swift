public import MktCore

/// What a rule, or a score past a threshold, does with an order.
public enum FraudAction: String, Sendable, Codable, CaseIterable {
  /// Placed as if it scored nothing (no review, no refusal).
  case allow
  /// Held in `review` with its stock reserved, until approved or rejected.
  case review
  /// Refused: nothing reserved or charged, the reason recorded.
  case block
}

/// A readable rule: `review if account_age < 60s and amount_eur > 200`.
public struct FraudRule: Sendable, Equatable {
  /// One test of a signal against a value: `accounts_per_device >= 5`, `ip_mismatch`,
  /// `country != DE`.
  public struct Condition: Sendable, Equatable, Hashable {
    public enum Operator: String, Sendable, CaseIterable {
      case lessOrEqual = "<="
      case greaterOrEqual = ">="
      case equal = "=="
      case notEqual = "!="
      case less = "<"
      case greater = ">"
    }

    public var signal: String
    public var op: Operator
    /// The value compared: a number (durations in seconds), or a word for text signals.
    public var number: Double?
    public var word: String?

    public init(signal: String, op: Operator, number: Double? = nil, word: String? = nil) {
      self.signal = signal
      self.op = op
      self.number = number
      self.word = word
    }

    /// Whether the order meets it; a signal not known for the order (no device sent, no
    /// account age) meets nothing.
    func holds(_ order: FraudOrder, _ signals: FraudSignals) -> Bool {
      guard let signal = FraudSignal.named[signal] else { return false }
      if let word {
        guard let value = signal.word(order) else { return false }
        return op == .equal ? value == word : value != word
      }
      guard let number, let value = signal.value(order, signals) else { return false }
      switch op {
      case .less: return value < number
      case .lessOrEqual: return value <= number
      case .greater: return value > number
      case .greaterOrEqual: return value >= number
      case .equal: return value == number
      case .notEqual: return value != number
      }
    }
  }

  public var name: String
  public var action: FraudAction
  public var conditions: [Condition]
  /// The merchants it applies to (`nil`: all).
  public var merchants: Set<String>?
  /// The rule as written, and where.
  public var text: String
  public var location: InputLocation

  /// Whether the rule fires for the order.
  public func fires(_ order: FraudOrder, _ signals: FraudSignals) -> Bool {
    if let merchants, !merchants.contains(order.merchant) { return false }
    return conditions.allSatisfy { $0.holds(order, signals) }
  }
}

/// The rules in force, as loaded from a file.
public struct FraudRuleSet: Sendable, Equatable {
  public var rules: [FraudRule]
  /// The file they were loaded from.
  public var file: String

  public init(rules: [FraudRule] = [], file: String = "") {
    self.rules = rules
    self.file = file
  }

  /// The rule that decides the order: the first `allow` that fires, else the first `block`,
  /// else the first `review` (as Stripe Radar orders them: an allow list wins).
  public func decide(_ order: FraudOrder, _ signals: FraudSignals) -> FraudRule? {
    var block: FraudRule?
    var review: FraudRule?
    for rule in rules where rule.fires(order, signals) {
      switch rule.action {
      case .allow: return rule
      case .block: if block == nil { block = rule }
      case .review: if review == nil { review = rule }
      }
    }
    return block ?? review
  }
}
