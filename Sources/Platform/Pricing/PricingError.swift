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

  public var exitStatus: SysExit {
    switch self {
    case .invalidRules, .conflict: .dataError
    case .unknownRule, .invalidRequest: .dataError
    }
  }

  public var location: InputLocation? {
    switch self {
    case .invalidRules(let location, _), .conflict(let location, _, _, _): location
    case .unknownRule, .invalidRequest: nil
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
    }
  }

  public var hint: String? {
    switch self {
    case .conflict: "give one of them a higher priority, or narrow a scope or schedule"
    case .unknownRule: "list the loaded rules with: mkt pricing list"
    case .invalidRules, .invalidRequest: nil
    }
  }
}
