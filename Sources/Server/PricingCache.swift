import Foundation
import Pricing
import Store

/// The compiled pricing rules and country table for quotes, read again at most once a second:
/// rules loaded with `mkt pricing load` apply to quotes within a second, without each request
/// reading and compiling them.
final class PricingCache: @unchecked Sendable {
  // SAFETY: `snapshot` and `read` are read and written under `lock` only.
  private let lock = NSLock()
  private var snapshot: PricingService.Snapshot?
  private var read = ContinuousClock.now
  let service: PricingService
  let lifetime: Duration

  init(store: Store, lifetime: Duration = .seconds(1)) {
    service = PricingService(store: store)
    self.lifetime = lifetime
  }

  /// The snapshot, read again when it is older than the lifetime.
  func current() async throws -> PricingService.Snapshot {
    let now = ContinuousClock.now
    if let cached = cached(at: now) { return cached }
    let fresh = try await service.snapshot()
    store(fresh, at: now)
    return fresh
  }

  /// Forgets the snapshot: rules loaded through this server apply to the next quote.
  func invalidate() {
    lock.lock()
    defer { lock.unlock() }
    snapshot = nil
  }

  private func store(_ fresh: PricingService.Snapshot, at now: ContinuousClock.Instant) {
    lock.lock()
    defer { lock.unlock() }
    snapshot = fresh
    read = now
  }

  private func cached(at now: ContinuousClock.Instant) -> PricingService.Snapshot? {
    lock.lock()
    defer { lock.unlock() }
    guard let snapshot, now - read < lifetime else { return nil }
    return snapshot
  }
}
