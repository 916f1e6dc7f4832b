public import MktCore

/// A rules file, quote or cart that cannot be used.
public enum PricingError: MktError, Equatable {
  /// A rule or file that does not validate, with where.
  case invalidRules(InputLocation, message: String)
  /// Two rules whose order would decide the price: same priority, overlapping scope and time.
  case conflict(InputLocation, first: String, second: String, secondLocation: String)
  case unknownRule(String)
  /// A quote request that cannot be priced (unknown product, bad quantity …).
  case invalidRequest(String)
  /// A merchant's rule file holding a rule not scoped to that merchant alone.
  case notOwnRule(String, merchant: String)
  /// A rule id already used by a rule of another merchant (or of several).
  case ruleIDTaken(String)

  public var exitStatus: SysExit {
    switch self {
    case .invalidRules, .conflict: .dataError
    case .unknownRule, .invalidRequest, .ruleIDTaken: .dataError
    case .notOwnRule: .noPermission
    }
  }

  public var location: InputLocation? {
    switch self {
    case .invalidRules(let location, _), .conflict(let location, _, _, _): location
    case .unknownRule, .invalidRequest, .notOwnRule, .ruleIDTaken: nil
    }
  }

  public var description: String {
    switch self {
    case .invalidRules(_, let message): message
    case .conflict(_, let first, let second, let secondLocation):
      "rules \(first) and \(second) (\(secondLocation)) have the same priority, overlap in scope "
        + "and time, and at least one is not stackable or stops further rules: which applies "
        + "first would be arbitrary"
    case .unknownRule(let id): "no pricing rule '\(id)'"
    case .invalidRequest(let message): message
    case .notOwnRule(let id, let merchant):
      "rule \(id) is not scoped to \(merchant) alone: a merchant's token loads only its own rules"
    case .ruleIDTaken(let id): "the rule id \(id) is in use by another merchant's rule"
    }
  }

  public var hint: String? {
    switch self {
    case .conflict: "give one of them a higher priority, or narrow a scope or schedule"
    case .unknownRule: "list the loaded rules with: mkt pricing list"
    case .notOwnRule: "scope: {merchants: [M]}; rules of several merchants need an operator token"
    case .ruleIDTaken: "give the rule another id"
    case .invalidRules, .invalidRequest: nil
    }
  }
}
