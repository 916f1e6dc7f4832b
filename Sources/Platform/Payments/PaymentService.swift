package import GRDB
public import MktCore
public import Store

/// A payment method as a merchant offers it in a country.
public struct OfferedMethod: Sendable, Equatable, Encodable {
  public var method: PaymentMethod
  /// Whether the merchant offers it (the method's default when no merchant is named).
  public var enabled: Bool
  /// Why it cannot take the amount asked about (`nil`: it can, or no amount was given).
  public var refusal: String?

  enum CodingKeys: String, CodingKey {
    case id, name, flow, currencies, enabled, refusal, source
    case minimum = "min_minor"
    case maximum = "max_minor"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(method.id, forKey: .id)
    try container.encode(method.name, forKey: .name)
    try container.encode(method.flow, forKey: .flow)
    try container.encode(method.currencies, forKey: .currencies)
    try container.encode(method.minimum, forKey: .minimum)
    try container.encode(method.maximum, forKey: .maximum)
    try container.encode(enabled, forKey: .enabled)
    try container.encodeIfPresent(refusal, forKey: .refusal)
    try container.encode(method.source, forKey: .source)
  }
}

/// A payment method that cannot be used, or a merchant that does not exist.
public enum PaymentError: MktError, Equatable {
  case unknownMethod(String)
  case unknownMerchant(String)

  public var exitStatus: SysExit { .dataError }

  public var description: String {
    switch self {
    case .unknownMethod(let id):
      "unknown payment method '\(id)' (valid: \(PaymentMethods.all.map(\.id).joined(separator: ", ")))"
    case .unknownMerchant(let id): "unknown merchant '\(id)'"
    }
  }
}

/// Which payment methods merchants offer: the shipped table and each merchant's choices.
public struct PaymentService: Sendable {
  let store: Store

  public init(store: Store) { self.store = store }

  /// The methods offered in `country` (all countries when `nil`), with `merchant`'s choices
  /// and, given an amount in minor units of `currency`, why a method cannot take it.
  public func methods(
    country: String?, merchant: String? = nil, currency: String? = nil, amount: Int64? = nil
  ) async throws -> [OfferedMethod] {
    let choices = try await store.read { db in try Self.choices(db) }
    if let merchant {
      let known = try await store.read { db in
        try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant])
      }
      guard known != nil else { throw PaymentError.unknownMerchant(merchant) }
    }
    return PaymentMethods.all.filter { country.map($0.countries.contains) ?? true }.map {
      method in
      var refusal: String?
      if let country, let currency {
        refusal = method.refusal(country: country, currency: currency, amount: amount)
      }
      return OfferedMethod(
        method: method,
        enabled: merchant.map { Self.enabled(method, merchant: $0, choices) }
          ?? method.enabledByDefault,
        refusal: refusal)
    }
  }

  /// Offers (or stops offering) `method` for `merchant`.
  public func setEnabled(_ method: String, merchant: String, _ enabled: Bool) async throws {
    guard PaymentMethods.named(method) != nil else { throw PaymentError.unknownMethod(method) }
    try await store.write { db in
      guard
        try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant])
          != nil
      else { throw PaymentError.unknownMerchant(merchant) }
      try db.execute(
        sql: """
          INSERT INTO payment_method_setting (merchant_id, method, enabled) VALUES (?, ?, ?)
          ON CONFLICT (merchant_id, method) DO UPDATE SET enabled = excluded.enabled
          """, arguments: [merchant, method, enabled])
    }
  }

  /// Every merchant's choices: merchant → method → offered.
  public func choices() async throws -> [String: [String: Bool]] {
    try await store.read { db in try Self.choices(db) }
  }

  package static func choices(_ db: Database) throws -> [String: [String: Bool]] {
    var choices: [String: [String: Bool]] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT merchant_id, method, enabled FROM payment_method_setting")
    {
      choices[row["merchant_id"], default: [:]][row["method"]] = row["enabled"]
    }
    return choices
  }

  /// Whether `merchant` offers `method`, by its choice or the method's default.
  public static func enabled(
    _ method: PaymentMethod, merchant: String, _ choices: [String: [String: Bool]]
  ) -> Bool {
    choices[merchant]?[method.id] ?? method.enabledByDefault
  }
}
