import ArgumentParser
import Foundation
import Localization
import MktCore
import Orders
import Payments
import Store

/// `mkt payment`.
struct PaymentCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "payment",
    abstract: "The payment methods each country expects, which ones merchants offer, and "
      + "confirmations of payments made away from the checkout.",
    discussion: """
      mkt ships a table of payment methods with their countries, currencies, amount limits \
      and sources (docs/payment-methods.md): cards everywhere; iDEAL (NL), Bancontact (BE), \
      BLIK and Przelewy24 (PL), Swish (SE), MobilePay (DK, FI), Vipps (NO), TWINT (CH), \
      MB WAY and Multibanco (PT), Bizum (ES), EPS (AT), bank transfer; SEPA Direct Debit and \
      invoice where merchants enable them. Placement refuses a method the merchant does not \
      offer in the shipping country, its currency or for the amount, naming those that would \
      work. Cards are charged at placement; redirect methods (the customer approves in a bank \
      or wallet app) and SEPA debits leave the order pending until `mkt payment confirm`; \
      invoices, transfers and Multibanco vouchers until `mkt orders pay`.
      """,
    subcommands: [
      PaymentMethodsCommand.self, PaymentEnableCommand.self, PaymentDisableCommand.self,
      PaymentConfirmCommand.self,
    ])
}

/// `mkt payment methods`.
struct PaymentMethodsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "methods",
    abstract: "List the payment methods offered in a country (or all), with their limits.",
    discussion: """
      With --merchant, `enabled` says whether that merchant offers the method; with --amount, \
      `refusal` says why a method cannot take it (in the country's currency).

      Examples:
        mkt payment methods --country NL
        mkt payment methods --country PL --merchant M001 --amount 60000
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "The shipping country (ISO 3166 code).") var country: String?
  @Option(help: "Whether this merchant offers each method.") var merchant: String?
  @Option(help: "An order total in the country's currency, checked against the limits.")
  var amount: String?

  func run() async throws {
    let code = try country.map { text in
      guard let code = CountryCode(text.uppercased()) else {
        throw ValidationError("unknown country '\(text)' (valid: \(CountryCode.validList))")
      }
      return code
    }
    var currency: CurrencyCode?
    if let code {
      currency = try await LocaleService(store: global.openStore(.reading)).countries()
        .first { $0.code == code }?.currency
    }
    var minor: Int64?
    if let amount {
      guard let currency else { throw ValidationError("--amount needs --country") }
      minor = try Money(amount, currency: currency).minorUnits
    }
    let methods = try await PaymentService(store: global.openStore(.reading)).methods(
      country: code?.rawValue, merchant: merchant, currency: currency?.rawValue, amount: minor)
    func limit(_ values: [String: Int64]) -> String {
      let shown = currency.map { [$0.rawValue] } ?? values.keys.sorted()
      return shown.compactMap { key in
        values[key].map { minor in
          "\(Money(minorUnits: minor, currency: CurrencyCode(key) ?? .eur).decimalString) \(key)"
        }
      }.joined(separator: ", ")
    }
    try Output(global, output).rows(
      methods,
      columns: [
        ("id", { $0.method.id }), ("name", { $0.method.name }),
        ("flow", { $0.method.flow.rawValue }),
        ("currencies", { $0.method.currencies.joined(separator: " ") }),
        ("min", { limit($0.method.minimum) }), ("max", { limit($0.method.maximum) }),
        ("enabled", { $0.enabled ? "yes" : "no" }), ("refusal", { $0.refusal ?? "" }),
      ])
  }
}

/// `mkt payment enable M METHOD…`.
struct PaymentEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable", abstract: "Offer payment methods for a merchant.",
    discussion: "Example: mkt payment enable M001 invoice sepa_debit")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The merchant.") var merchant: String
  @Argument(help: "Method ids (mkt payment methods lists them).") var methods: [String]

  func run() async throws {
    try await PaymentSetting.set(global, merchant, methods, true)
  }
}

/// `mkt payment disable M METHOD…`.
struct PaymentDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Stop offering payment methods for a merchant.",
    discussion: "Example: mkt payment disable M001 bank_transfer")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The merchant.") var merchant: String
  @Argument(help: "Method ids (mkt payment methods lists them).") var methods: [String]

  func run() async throws {
    try await PaymentSetting.set(global, merchant, methods, false)
  }
}

enum PaymentSetting {
  static func set(_ global: GlobalOptions, _ merchant: String, _ methods: [String], _ on: Bool)
    async throws
  {
    guard !methods.isEmpty else { throw ValidationError("name at least one method") }
    for method in methods where PaymentMethods.named(method) == nil {
      throw PaymentError.unknownMethod(method)
    }
    let service = PaymentService(store: try global.openStore())
    for method in methods { try await service.setEnabled(method, merchant: merchant, on) }
    if !global.quiet {
      try RawWriter.write(
        "\(merchant): \(methods.joined(separator: ", ")) \(on ? "offered" : "no longer offered")\n",
        to: 1)
    }
  }
}

/// `mkt payment confirm ID`.
struct PaymentConfirmCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "confirm",
    abstract: "Record that the customer completed a pending payment (what a gateway's "
      + "webhook reports): the order is paid.",
    discussion: "Example: mkt payment confirm 42 --reference ideal-tr-8812")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The gateway's reference of the payment.") var reference: String?
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.pay(order.id, reference: reference)
    }
  }
}
