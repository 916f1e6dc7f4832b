import Foundation

/// A value loaded from the database and used for up to a second before it is loaded again.
///
/// The compiled pricing rules for quotes, the orders service with its rules, fraud engine and
/// payment choices. Rules loaded by `mkt pricing load` (or `mkt fraud …`) apply within a second
/// without each request reading and compiling them; the server's own rule loads apply at once
/// (``invalidate()``).
final class Refreshing<Value: Sendable>: @unchecked Sendable {
  // SAFETY: `value`, `loaded` and `stale` are read and written under `lock` only.
  private let lock = NSLock()
  private var value: Value?
  private var loaded = ContinuousClock.now
  private var stale = false
  let lifetime: Duration
  let load: @Sendable () async throws -> Value

  init(lifetime: Duration = .seconds(1), load: @escaping @Sendable () async throws -> Value) {
    self.lifetime = lifetime
    self.load = load
  }

  /// The value, loaded again when it is older than the lifetime or invalidated.
  func current() async throws -> Value {
    let now = ContinuousClock.now
    if let cached = cached(at: now) { return cached }
    let fresh = try await load()
    keep(fresh, at: now)
    return fresh
  }

  /// Loads the value again on the next use.
  func invalidate() {
    lock.lock()
    defer { lock.unlock() }
    stale = true
  }

  private func keep(_ fresh: Value, at now: ContinuousClock.Instant) {
    lock.lock()
    defer { lock.unlock() }
    value = fresh
    loaded = now
    stale = false
  }

  private func cached(at now: ContinuousClock.Instant) -> Value? {
    lock.lock()
    defer { lock.unlock() }
    guard let value, !stale, now - loaded < lifetime else { return nil }
    return value
  }
}
