/// A charge to make.
public struct PaymentRequest: Sendable, Equatable {
  public var reference: String
  public var amountMinor: Int64
  public var currency: String
  public var method: String
  public var token: String?
}

/// Why a payment did not go through.
public enum PaymentFailure: Error, Sendable, Equatable {
  /// The card or account refused: final.
  case declined(String)
  /// The gateway could not be reached or failed: the order may be retried.
  case unavailable(String)
}

/// Charges customers.
///
/// Called inside the placement transaction, so a decline rolls the order back with its
/// reservations; a production gateway authorises here and captures after commit.
public protocol PaymentGateway: Sendable {
  /// A reference of the charge.
  func charge(_ request: PaymentRequest) throws(PaymentFailure) -> String
}

/// The deterministic gateway for tests and demos: approves, except tokens `tok_decline`
/// (declined) and `tok_fail` (gateway failure), or everything when told.
public struct TestGateway: PaymentGateway {
  public enum Mode: String, Sendable, CaseIterable {
    case approve, decline, fail
  }

  public var mode: Mode

  public init(mode: Mode = .approve) { self.mode = mode }

  public func charge(_ request: PaymentRequest) throws(PaymentFailure) -> String {
    if mode == .decline || request.token == "tok_decline" {
      throw .declined("the test gateway declines \(request.token ?? "this charge")")
    }
    if mode == .fail || request.token == "tok_fail" {
      throw .unavailable("the test gateway is set to fail")
    }
    return "test-" + request.reference
  }
}

extension OrderError {
  /// The order error for a payment that did not go through.
  init(_ failure: PaymentFailure) {
    switch failure {
    case .declined(let reason): self = .paymentDeclined(reason)
    case .unavailable(let reason): self = .paymentFailed(reason)
    }
  }
}

extension PaymentGateway {
  /// Charges `request`; a failure as the order error it ends placement with.
  func chargeOrder(_ request: PaymentRequest) throws(OrderError) -> String {
    do {
      return try charge(request)
    } catch {
      throw OrderError(error)
    }
  }
}
