import Foundation
import MktCore

/// ECB rates per day, shared by concurrent placements.
final class RateCache: @unchecked Sendable {
  // SAFETY: `byDay` is only touched with `lock` held.
  private let lock = NSLock()
  private var byDay: [String: [CurrencyCode: ExactDecimal]] = [:]

  func rates(on day: String, load: () throws -> [CurrencyCode: ExactDecimal]) rethrows
    -> [CurrencyCode: ExactDecimal]
  {
    if let known = lock.withLock({ byDay[day] }) { return known }
    let loaded = try load()
    lock.withLock { byDay[day] = loaded }
    return loaded
  }
}
