import Foundation
import Importers
import MktCore

/// Local wall-clock times in IANA zones: schedule boundaries and daily windows.
///
/// A local time that does not exist (inside a spring-forward gap) resolves to the first
/// instant after the gap; one that exists twice (autumn) resolves to the first occurrence.
enum LocalTime {
  /// `YYYY-MM-DDTHH:MM[:SS]` (or a bare day, midnight) in `zone` as an instant.
  static func instant(_ text: String, in zone: TimeZone) -> Date? {
    let parts = text.split(separator: "T", maxSplits: 1)
    let day = parts.first.map { $0.split(separator: "-", omittingEmptySubsequences: false) } ?? []
    guard day.count == 3, ECBRateFile.isDay(day.joined(separator: "-")), let year = Int(day[0]),
      let month = Int(day[1]), let dayOfMonth = Int(day[2])
    else { return nil }
    var components = DateComponents(year: year, month: month, day: dayOfMonth)
    if parts.count == 2 {
      guard let clock = minutes(String(parts[1]).prefix(5)) else { return nil }
      components.hour = clock / 60
      components.minute = clock % 60
      let rest = parts[1].dropFirst(5)
      if !rest.isEmpty {
        guard rest.first == ":", let second = Int(rest.dropFirst()), (0..<60).contains(second)
        else { return nil }
        components.second = second
      }
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    guard let date = calendar.date(from: components),
      calendar.component(.day, from: date) == dayOfMonth || parts.count == 2
    else { return nil }
    return date
  }

  /// `HH:MM` as minutes after midnight.
  static func minutes<Text: StringProtocol>(_ text: Text) -> Int? {
    let fields = text.split(separator: ":")
    guard text.count == 5, fields.count == 2, let hour = Int(fields[0]),
      let minute = Int(fields[1]), (0..<24).contains(hour), (0..<60).contains(minute)
    else { return nil }
    return hour * 60 + minute
  }

  static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

  /// The weekday (`mon`) and minutes after local midnight of `instant` in `zone`.
  static func clock(_ instant: Date, in zone: TimeZone) -> (weekday: String, minutes: Int) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let components = calendar.dateComponents([.weekday, .hour, .minute], from: instant)
    return (
      weekdays[((components.weekday ?? 1) - 1) % 7],
      (components.hour ?? 0) * 60 + (components.minute ?? 0)
    )
  }

  /// Parses `2026-11-25T10:00:00Z`, `2026-11-25T11:00:00+01:00`, or a local time with `zone`.
  ///
  /// The day must exist in the calendar: `2026-02-30` is refused, not rolled over to March.
  static func parse(_ text: String, defaultZone zone: TimeZone) -> Date? {
    guard ECBRateFile.isDay(String(text.prefix(10))) else { return nil }
    return UTCTime.date(text) ?? instant(text, in: zone)
  }
}
