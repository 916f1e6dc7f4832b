import Fraud
import Payments

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
  /// Authorises `request`; a failure as the order error it ends placement with.
  func authorizeOrder(_ request: PaymentRequest, flow: PaymentFlow) throws(OrderError)
    -> Authorization
  {
    do {
      return try authorize(request, flow: flow)
    } catch {
      throw OrderError(error)
    }
  }
}

/// A payment the gateway declined at placement, with what the fraud module counts of it once
/// the order's writes are undone.
struct DeclinedPayment: Error {
  var error: OrderError
  var facts: FraudOrder
}

extension OrderService {
  /// The order's payment method, if the merchant offers it in the country and currency;
  /// `amount` (minor units) is checked against the method's limits when given.
  ///
  /// - Throws: ``OrderError/paymentMethodUnavailable(method:reason:alternatives:)`` naming
  ///   the methods that would work.
  func paymentMethod(
    _ id: String, merchant: String, country: String, currency: String, amount: Int64?
  ) throws(OrderError) -> PaymentMethod {
    func offered(_ method: PaymentMethod) -> Bool {
      PaymentService.enabled(method, merchant: merchant, paymentChoices)
        && method.refusal(country: country, currency: currency, amount: amount) == nil
    }
    let alternatives = PaymentMethods.all.filter(offered).map(\.id)
    guard let method = PaymentMethods.named(id) else {
      throw .paymentMethodUnavailable(
        method: id,
        reason: "no such method (known: \(PaymentMethods.all.map(\.id).joined(separator: ", ")))",
        alternatives: alternatives)
    }
    if let reason = method.refusal(country: country, currency: currency, amount: amount) {
      throw .paymentMethodUnavailable(method: id, reason: reason, alternatives: alternatives)
    }
    guard PaymentService.enabled(method, merchant: merchant, paymentChoices) else {
      throw .paymentMethodUnavailable(
        method: id, reason: "merchant \(merchant) does not offer \(method.name)",
        alternatives: alternatives)
    }
    return method
  }
}
