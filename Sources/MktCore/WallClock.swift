public import Foundation

/// Where mkt reads the time of day: the system's clock, or one a test or an embedder sets.
///
/// Services read it from their store (`store.clock`) instead of calling `Date()`, so every
/// timestamp, expiry, schedule and retention cut-off of one store comes from one place.
public struct WallClock: Sendable {
  private let read: @Sendable () -> Date

  /// A clock reading `read` each time it is asked.
  public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

  /// The instant now.
  public func now() -> Date { read() }

  /// The instant now, in whole seconds since 1970.
  public func seconds() -> Int64 { Int64(read().timeIntervalSince1970) }

  /// The system's clock.
  public static let system = WallClock { Date() }

  /// A clock that always reads `instant`.
  public static func fixed(_ instant: Date) -> WallClock { WallClock { instant } }
}
