import Foundation

/// How a payment method completes.
public enum PaymentFlow: String, Sendable, Codable {
  /// Authorised when the order is placed (cards): the order is paid at once.
  case direct
  /// The customer approves in a bank or wallet app: the order waits `pending` until the
  /// payment is confirmed (`mkt payment confirm`, or `mkt orders pay`).
  case redirect
  /// The customer pays later (invoice, bank transfer, a Multibanco voucher): `pending` until
  /// paid or expired.
  case deferred
  /// A SEPA direct debit under a mandate: `pending` until the debit is confirmed.
  case mandate
}

/// A payment method as shipped: where it is offered, in which currencies, within which
/// amounts, and where the facts come from.
public struct PaymentMethod: Sendable, Codable, Equatable {
  public var id: String
  public var name: String
  public var countries: [String]
  public var currencies: [String]
  public var flow: PaymentFlow
  /// Per currency, the smallest and largest amount in minor units (absent: none documented).
  public var minimum: [String: Int64]
  public var maximum: [String: Int64]
  /// Whether merchants offer it until they say otherwise (SEPA debit and invoice: no).
  public var enabledByDefault: Bool
  public var source: String

  enum CodingKeys: String, CodingKey {
    case id, name, countries, currencies, flow, source
    case minimum = "min_minor"
    case maximum = "max_minor"
    case enabledByDefault = "default_enabled"
  }

  /// Why the method cannot pay `amount` (minor units) in `currency` to `country` (`nil`: it
  /// can).
  public func refusal(country: String, currency: String, amount: Int64?) -> String? {
    guard countries.contains(country) else {
      return "\(name) is not offered in \(country) (it is in \(countries.joined(separator: ", ")))"
    }
    guard currencies.contains(currency) else {
      return "\(name) does not take \(currency) (it takes \(currencies.joined(separator: ", ")))"
    }
    guard let amount else { return nil }
    if let low = minimum[currency], amount < low {
      return "\(name) takes at least \(Self.text(low)) \(currency)"
    }
    if let high = maximum[currency], amount > high {
      return "\(name) takes at most \(Self.text(high)) \(currency)"
    }
    return nil
  }

  /// Minor units as `1234.50` (every shipped currency has two decimals).
  static func text(_ minor: Int64) -> String {
    let cents = minor % 100
    return "\(minor / 100).\(cents < 10 ? "0" : "")\(cents)"
  }
}

/// The payment methods as shipped (`Resources/methods.json`, its sources in
/// docs/payment-methods.md).
public enum PaymentMethods {
  private struct File: Decodable {
    var version: String
    var methods: [PaymentMethod]
  }

  private static let file: File = {
    do {
      return try JSONDecoder().decode(File.self, from: Data(PackageResources.methods_json))
    } catch {
      // The bytes are compiled into the binary (never user input) and PaymentTests decodes
      // them, so a failure here is a build defect, caught before release.
      fatalError("Resources/methods.json does not decode: \(error)")  // safe: compiled-in
    }
  }()

  /// Every shipped method, in the table's order.
  public static var all: [PaymentMethod] { file.methods }

  /// The table's version (`2026-12`).
  public static var version: String { file.version }

  /// The method with id `id`.
  public static func named(_ id: String) -> PaymentMethod? { all.first { $0.id == id } }
}
