import Access
import Foundation
import HTTPTypes
import Hummingbird
import MktCore

/// Turns a request's bearer token into a grant, checks the route's scope and the token's rate.
struct Guardian: Sendable {
  let access: AccessService
  let limiter: RateLimiter
  let grants = GrantCache()

  /// The grant of `request`'s token, if it holds `scope` and is within its rate.
  ///
  /// - Throws: ``AccessError/unauthenticated`` (401), ``AccessError/missingScope(_:)`` (403),
  ///   a 429 ``Problem`` with `Retry-After`.
  func admit(_ request: Request, scope: Scope) async throws -> Grant {
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
      throw AccessError.unauthenticated
    }
    let bearer = String(header.dropFirst("Bearer ".count))
    let grant: Grant
    if let known = grants.grant(bearer) {
      grant = known
    } else {
      grant = try await access.authenticate(bearer)
      grants.keep(bearer, grant)
    }
    if let wait = limiter.take(grant.tokenID) {
      var problem = Problem(
        .tooManyRequests, "the token's rate limit is reached", code: .tempFail,
        hint: "retry after the Retry-After seconds; mkt serve --rate-limit sets the rate")
      problem.headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
      throw problem
    }
    try grant.require(scope)
    return grant
  }
}

/// A token bucket per token: `rate` requests a second on average, bursts of `burst`.
final class RateLimiter: @unchecked Sendable {
  // SAFETY: `buckets` is read and written under `lock` only.
  private let lock = NSLock()
  private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
  let rate: Double
  let burst: Double

  /// `rate` 0 turns limiting off.
  init(rate: Double, burst: Double? = nil) {
    self.rate = rate
    self.burst = burst ?? max(1, rate * 2)
  }

  /// Takes one request from `key`'s bucket: `nil` if allowed, else the seconds until it would be.
  func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
    guard rate > 0 else { return nil }
    lock.lock()
    defer { lock.unlock() }
    var bucket = buckets[key] ?? (burst, now)
    let elapsed = Double((now - bucket.at) / .milliseconds(1)) / 1000
    bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
    bucket.at = now
    if bucket.tokens >= 1 {
      bucket.tokens -= 1
      buckets[key] = bucket
      return nil
    }
    buckets[key] = bucket
    return (1 - bucket.tokens) / rate
  }
}

/// The grants of tokens seen in the last second.
///
/// A busy client's token is read from the database once a second, not once a request. A token
/// revoked or expiring is refused within a second; unknown and refused tokens are never kept
/// (each try reads the database).
final class GrantCache: @unchecked Sendable {
  // SAFETY: `grants` is read and written under `lock` only.
  private let lock = NSLock()
  private var grants: [String: (grant: Grant, until: ContinuousClock.Instant)] = [:]
  let lifetime: Duration
  /// Past this many tokens, the expired ones are dropped before another is kept.
  let capacity = 10_000

  init(lifetime: Duration = .seconds(1)) {
    self.lifetime = lifetime
  }

  /// The grant kept for `bearer`, if it is younger than the lifetime.
  func grant(_ bearer: String, now: ContinuousClock.Instant = .now) -> Grant? {
    lock.lock()
    defer { lock.unlock() }
    guard let kept = grants[bearer], kept.until > now else { return nil }
    return kept.grant
  }

  /// Keeps `grant` for `bearer` for the lifetime.
  func keep(_ bearer: String, _ grant: Grant, now: ContinuousClock.Instant = .now) {
    lock.lock()
    defer { lock.unlock() }
    if grants.count >= capacity { grants = grants.filter { $0.value.until > now } }
    if grants.count < capacity { grants[bearer] = (grant, now + lifetime) }
  }
}
