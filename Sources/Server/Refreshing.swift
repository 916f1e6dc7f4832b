import Foundation

/// A value compiled from the database and kept until what it was compiled from changes.
///
/// The compiled pricing rules for quotes; the orders service with its rules, fraud engine and
/// payment choices. At most once a second the settings' version (``Store/settingsVersion()``,
/// one row) is read: the value is compiled again only when it moved, so rules loaded by
/// `mkt pricing load` (or `mkt fraud …`) in another process apply within a second, and the
/// server's own rule loads at once (``invalidate()``).
final class Refreshing<Value: Sendable>: @unchecked Sendable {
  // SAFETY: `value`, `version`, `checked` and `stale` are read and written under `lock` only.
  private let lock = NSLock()
  private var value: Value?
  private var version: Int64?
  private var checked = ContinuousClock.now
  private var stale = false
  let lifetime: Duration
  let versionNow: @Sendable () async throws -> Int64
  let load: @Sendable () async throws -> Value

  init(
    lifetime: Duration = .seconds(1), version: @escaping @Sendable () async throws -> Int64,
    load: @escaping @Sendable () async throws -> Value
  ) {
    self.lifetime = lifetime
    versionNow = version
    self.load = load
  }

  /// The value, compiled again when the settings changed since.
  func current() async throws -> Value {
    let now = ContinuousClock.now
    let (fresh, kept) = peek(at: now)
    if let fresh { return fresh }
    // Read before loading: a change in between makes the next check load once more.
    let version = try await versionNow()
    if let kept, kept.version == version {
      touch(at: now)
      return kept.value
    }
    let value = try await load()
    keep(value, version: version, at: now)
    return value
  }

  /// Compiles the value again on the next use.
  func invalidate() {
    lock.lock()
    defer { lock.unlock() }
    stale = true
  }

  /// The value if checked within the lifetime; else the value and its version, to check.
  private func peek(at now: ContinuousClock.Instant) -> (Value?, (value: Value, version: Int64)?) {
    lock.lock()
    defer { lock.unlock() }
    guard let value, let version, !stale else { return (nil, nil) }
    return now - checked < lifetime ? (value, nil) : (nil, (value, version))
  }

  private func touch(at now: ContinuousClock.Instant) {
    lock.lock()
    defer { lock.unlock() }
    checked = now
  }

  private func keep(_ fresh: Value, version: Int64, at now: ContinuousClock.Instant) {
    lock.lock()
    defer { lock.unlock() }
    value = fresh
    self.version = version
    checked = now
    stale = false
  }
}
