import Foundation
public import MktCore

/// A merchant's endpoint and the events it receives.
public struct WebhookEndpoint: Sendable, Equatable, Encodable {
  public var id: Int64
  public var merchant: String
  public var url: String
  public var events: [String]
  /// The signing secret (`whsec_…`): the receiver checks `Mkt-Signature` with it.
  public var secret: String
  public var createdAt: String

  enum CodingKeys: String, CodingKey {
    case id, merchant, url, events, secret
    case createdAt = "created_at"
  }

  /// Whether `topic` is one of the endpoint's events (`order.*` takes every order event).
  func wants(_ topic: String) -> Bool {
    events.contains { $0 == topic || ($0.hasSuffix(".*") && topic.hasPrefix($0.dropLast())) }
  }
}

/// An event that could not be delivered within the retry window (`mkt webhooks failed`).
public struct FailedDelivery: Sendable, Equatable, Encodable {
  public var event: String
  public var endpoint: Int64
  public var merchant: String
  public var url: String
  public var topic: String
  public var attempts: Int
  public var lastStatus: Int?
  public var lastError: String?
  public var failedAt: String

  enum CodingKeys: String, CodingKey {
    case event, endpoint, merchant, url, topic, attempts
    case lastStatus = "last_status"
    case lastError = "last_error"
    case failedAt = "failed_at"
  }
}

/// What one delivery round did.
public struct DeliveryRound: Sendable, Equatable, Encodable {
  /// Deliveries queued from new outbox events.
  public var queued = 0
  /// Posted and answered 2xx.
  public var delivered = 0
  /// Posted and refused or unanswered: retried later.
  public var retrying = 0
  /// Past the retry window: moved to the failed list.
  public var failed = 0

  public init() {}

  /// Whether the round sent anything.
  public var isIdle: Bool { delivered + retrying + failed == 0 }
}

/// Why a webhook cannot be added, found or replayed.
public enum WebhookError: MktError, Equatable {
  case unknownMerchant(String)
  case unknownEvent(String)
  case badURL(String)
  case unknownEndpoint(Int64)
  case unknownDelivery(String)

  public var exitStatus: SysExit {
    switch self {
    case .unknownEvent, .badURL: .usage
    default: .dataError
    }
  }

  public var description: String {
    switch self {
    case .unknownMerchant(let id): "unknown merchant \(id)"
    case .unknownEvent(let name): "unknown event \(name)"
    case .badURL(let url): "not an http(s) URL: \(url)"
    case .unknownEndpoint(let id): "no webhook endpoint \(id)"
    case .unknownDelivery(let id): "no delivery of \(id)"
    }
  }

  public var hint: String? {
    switch self {
    case .unknownEvent:
      "events are "
        + (WebhookService.topics + WebhookService.wildcards).joined(separator: ", ")
    case .badURL: "give the receiver's full URL, https://shop.example/hooks/mkt"
    case .unknownMerchant: "mkt merchant list shows the merchants"
    case .unknownEndpoint: "mkt webhooks list shows the endpoints"
    case .unknownDelivery: "mkt webhooks failed lists the events that can be replayed"
    }
  }
}
