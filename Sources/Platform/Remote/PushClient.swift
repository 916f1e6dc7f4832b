import Foundation
import MktCore

/// The remote side of a push: `mkt serve`'s catalog, hashes and stock routes, called with
/// retries on timeouts, 5xx and 429.
struct PushClient: Sendable {
  let url: String
  let options: PushOptions

  /// The remote's content hashes of `merchant`'s products among `ids`.
  func hashes(merchant: String, ids: [String]) async throws -> [String: Int64] {
    try await hashes("/v1/products/hashes", ["merchant": merchant, "ids": ids])
  }

  /// The remote's hashes of the pricing rules among `ids` that the token may see.
  func ruleHashes(_ ids: [String]) async throws -> [String: Int64] {
    try await hashes("/v1/pricing/rules/hashes", ["ids": ids])
  }

  /// Posts `request` to a hashes route and reads its `{hashes: {id: "hash"}}`.
  private func hashes(_ path: String, _ request: [String: Any]) async throws -> [String: Int64] {
    let body = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
    let answer = try await send(
      HTTPCall(
        url: url + path, headers: ["Content-Type: application/json"], body: Array(body),
        timeout: options.timeout))
    guard let hashes = answer["hashes"] as? [String: String] else {
      throw PushError.unreachable(url: url, reason: "the remote's hashes are not mkt's answer")
    }
    return hashes.compactMapValues { Int64($0) }
  }

  /// Imports `body` (a CSV feed) for `merchant` in `mode` on the remote.
  func catalog(merchant: String, mode: String, body: [UInt8], key: String) async throws {
    _ = try await send(
      HTTPCall(
        method: "PUT",
        url: url + "/v1/catalog?merchant=\(Self.escaped(merchant))&mode=\(mode)"
          + "&empty-cells=clear&format=csv",
        headers: ["Content-Type: text/csv", "Idempotency-Key: " + key], body: body,
        timeout: options.timeout))
  }

  /// Syncs `body` (sku, warehouse, quantity) for `merchant` on the remote, once per `key`.
  func stock(merchant: String, body: [UInt8], key: String) async throws {
    _ = try await send(
      HTTPCall(
        url: url + "/v1/stock/sync?merchant=\(Self.escaped(merchant))&mode=set&sync-id=\(key)",
        headers: ["Content-Type: text/csv", "Idempotency-Key: " + key], body: body,
        timeout: options.timeout))
  }

  /// Loads `body` (a JSON list of rules) on the remote: a rule of the same id is replaced.
  func rules(body: [UInt8], key: String) async throws {
    _ = try await send(
      HTTPCall(
        method: "PUT", url: url + "/v1/pricing/rules",
        headers: ["Content-Type: application/json", "Idempotency-Key: " + key], body: body,
        timeout: options.timeout))
  }

  /// Removes a rule on the remote; one already gone (a retry after a lost answer) is fine.
  func removeRule(_ id: String) async throws {
    _ = try await send(
      HTTPCall(
        method: "DELETE", url: url + "/v1/pricing/rules/" + Self.escaped(id), headers: [],
        body: [], timeout: options.timeout), absentIsDone: true)
  }

  /// Stores `body` (`id,language,field,text`) as `merchant`'s translations on the remote.
  func translations(merchant: String, body: [UInt8], key: String) async throws {
    _ = try await send(
      HTTPCall(
        method: "PUT", url: url + "/v1/catalog/translations?merchant=\(Self.escaped(merchant))",
        headers: ["Content-Type: text/csv", "Idempotency-Key: " + key], body: body,
        timeout: options.timeout))
  }

  /// Sends `call` with the token, retrying what may pass on a second try.
  ///
  /// `absentIsDone`: a 404 means what was to be removed is already gone.
  func send(_ call: HTTPCall, absentIsDone: Bool = false) async throws -> [String: Any] {
    var call = call
    call.headers.append("Authorization: Bearer " + options.token)
    call.trusted = options.trusted
    var reason = "no answer"
    for attempt in 1...max(1, options.attempts) {
      if attempt > 1 {
        try await Task.sleep(for: .milliseconds(Int64(min(10_000, 250 << (attempt - 1)))))
      }
      switch await call.send() {
      case .timedOut:
        reason = "timed out after \(options.timeout)"
      case .failed(let message):
        reason = message
      case .answered(let status, let headers, let body):
        let object =
          (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if (200..<300).contains(status) {
          guard let object else {
            throw PushError.unreachable(url: url, reason: "the remote's answer is not mkt's JSON")
          }
          return object
        }
        if absentIsDone, status == 404 { return object ?? [:] }
        let detail = object?["detail"] as? String ?? "HTTP \(status)"
        switch status {
        case 401, 403: throw PushError.refused(url: url, status: status, detail: detail)
        case 429, 500...:
          reason = "HTTP \(status): \(detail)"
          if let wait = headers["retry-after"].flatMap(Double.init), wait <= 30 {
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
          }
        default:
          let rows = object?["errors"] as? [String] ?? []
          throw PushError.rejected(url: url, detail: detail, rows: rows)
        }
      }
    }
    throw PushError.unreachable(url: url, reason: reason)
  }

  /// `text` as a query value or a path segment: all but RFC 3986's unreserved characters
  /// percent-encoded.
  static func escaped(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
  }

  static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
