public import MktCore

/// Why a token could not be made, found or used.
public enum AccessError: MktError, Equatable {
  /// No token was given, or it is malformed, unknown, expired or revoked: the server answers 401
  /// without saying which (a caller learns nothing about other tokens).
  case unauthenticated
  /// The token is valid but lacks the scope.
  case missingScope(Scope)
  case unknownScope(String)
  case unknownMerchant(String)
  case unknownToken(String)
  case badExpiry(String)

  public var exitStatus: SysExit {
    switch self {
    case .unauthenticated, .missingScope: .noPermission
    case .unknownScope, .badExpiry: .usage
    case .unknownMerchant, .unknownToken: .dataError
    }
  }

  public var description: String {
    switch self {
    case .unauthenticated: "missing, unknown, expired or revoked token"
    case .missingScope(let scope): "the token lacks the scope \(scope.rawValue)"
    case .unknownScope(let name): "unknown scope \(name)"
    case .unknownMerchant(let id): "unknown merchant \(id)"
    case .unknownToken(let id): "no token \(id)"
    case .badExpiry(let text): "cannot read the expiry \(text)"
    }
  }

  public var hint: String? {
    switch self {
    case .unauthenticated:
      "send Authorization: Bearer <token>; mkt token create prints one, mkt token list shows them"
    case .missingScope(let scope): "create a token with --scopes \(scope.rawValue)"
    case .unknownScope:
      "scopes are " + Scope.allCases.map(\.rawValue).joined(separator: ", ") + " (or all)"
    case .unknownMerchant: "mkt merchant list shows the merchants"
    case .unknownToken: "mkt token list shows the tokens"
    case .badExpiry: "a number of days, hours or minutes: 90d, 12h, 30m"
    }
  }
}
