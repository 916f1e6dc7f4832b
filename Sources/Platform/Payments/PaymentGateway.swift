import Foundation

/// A payment to authorise.
public struct PaymentRequest: Sendable, Equatable {
  /// The merchant's reference of the payment (`order-42`): the gateway's idempotency key, so a
  /// retry never charges twice.
  public var reference: String
  public var amountMinor: Int64
  public var currency: String
  public var method: String
  public var token: String?
  /// A fingerprint of the card, when the checkout sent one.
  public var card: String?
  /// When the order was placed, seconds since 1970.
  public var at: Int64

  public init(
    reference: String, amountMinor: Int64, currency: String, method: String,
    token: String? = nil, card: String? = nil, at: Int64 = 0
  ) {
    self.reference = reference
    self.amountMinor = amountMinor
    self.currency = currency
    self.method = method
    self.token = token
    self.card = card
    self.at = at
  }
}

/// Why a payment did not go through.
public enum PaymentFailure: Error, Sendable, Equatable {
  /// The card or account refused: final.
  case declined(String)
  /// The gateway could not be reached or failed: the order may be retried.
  case unavailable(String)
}

/// What the gateway said of a payment: its reference, and whether the money is taken now or
/// waits for the customer's approval in their bank or wallet app.
public struct Authorization: Sendable, Equatable {
  public var reference: String
  public var settled: Bool

  public init(reference: String, settled: Bool) {
    self.reference = reference
    self.settled = settled
  }
}

/// Takes payments.
///
/// Called inside the placement transaction, so a decline rolls the order back with its
/// reservations; a production gateway authorises here and captures after commit.
public protocol PaymentGateway: Sendable {
  /// Authorises `request` paid by a method of `flow`: direct methods settle at once, redirect
  /// and mandate methods wait for the customer.
  func authorize(_ request: PaymentRequest, flow: PaymentFlow) throws(PaymentFailure)
    -> Authorization
  /// Refunds `amountMinor` of the payment `reference`; the same `key` refunds once.
  func refund(reference: String, amountMinor: Int64, currency: String, key: String)
    throws(PaymentFailure) -> String
}

/// The deterministic gateway for tests and demos.
///
/// It approves, except: tokens `tok_decline` (declined) and `tok_fail` (gateway failure), or
/// everything when told; a card behind three small charges (under 5.00) within a minute is
/// declined as card testing; redirect and mandate methods authorise pending. Refunds are
/// idempotent by key within the process.
public struct TestGateway: PaymentGateway {
  public enum Mode: String, Sendable, CaseIterable {
    case approve, decline, fail
  }

  public var mode: Mode
  private let memory = Memory()

  public init(mode: Mode = .approve) { self.mode = mode }

  public func authorize(_ request: PaymentRequest, flow: PaymentFlow) throws(PaymentFailure)
    -> Authorization
  {
    if mode == .decline || request.token == "tok_decline" {
      throw .declined("the test gateway declines \(request.token ?? "this charge")")
    }
    if mode == .fail || request.token == "tok_fail" {
      throw .unavailable("the test gateway is set to fail")
    }
    if flow == .direct, let card = request.card ?? request.token, request.amountMinor < 500 {
      let recent = memory.smallCharge(card: card, at: request.at)
      if recent >= 3 {
        throw .declined("card testing suspected: \(recent) small charges on this card in a minute")
      }
    }
    return flow == .direct
      ? Authorization(reference: "test-" + request.reference, settled: true)
      : Authorization(reference: "test-pending-" + request.reference, settled: false)
  }

  public func refund(reference: String, amountMinor: Int64, currency: String, key: String)
    throws(PaymentFailure) -> String
  {
    if mode == .fail { throw .unavailable("the test gateway is set to fail") }
    return memory.refund(key: key) { "test-refund-\(reference)-\(amountMinor)" }
  }

  /// What the test gateway remembers within a process.
  final class Memory: @unchecked Sendable {
    // SAFETY: every field is only touched with `lock` held.
    private let lock = NSLock()
    private var smallCharges: [String: [Int64]] = [:]
    private var refunds: [String: String] = [:]

    /// Counts a small charge on `card` at `at`; returns how many it had in the minute before.
    func smallCharge(card: String, at: Int64) -> Int {
      lock.withLock {
        let recent = (smallCharges[card] ?? []).filter { $0 > at - 60 && $0 <= at }
        smallCharges[card] = recent + [at]
        return recent.count
      }
    }

    func refund(key: String, make: () -> String) -> String {
      lock.withLock {
        if let known = refunds[key] { return known }
        let made = make()
        refunds[key] = made
        return made
      }
    }
  }
}
