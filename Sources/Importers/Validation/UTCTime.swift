package import Foundation

/// Instants as ISO 8601 UTC text and back, through ``FeedSyntax`` rather than Foundation's
/// formatters (one costs tens of microseconds to make; pricing and placement format several
/// times per order).
package enum UTCTime {
  /// `2026-11-25T10:00:00Z`, whole seconds.
  package static func iso(_ date: Date) -> String {
    FeedSyntax.utcText(Int64(date.timeIntervalSince1970.rounded(.down)))
  }

  /// The UTC day, `2026-11-25`.
  package static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }

  /// An ISO 8601 date-time with a zone (`Z`, `+01:00`), or `nil`.
  package static func date(_ text: String) -> Date? {
    FeedSyntax.instant(text[...], requireZone: true).map {
      Date(timeIntervalSince1970: TimeInterval($0))
    }
  }
}
