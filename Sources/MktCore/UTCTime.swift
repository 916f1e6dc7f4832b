package import Foundation

/// Instants as ISO 8601 UTC text and back, without Foundation's formatters (one costs tens of
/// microseconds to make; pricing and placement format several times per order): the one
/// reading and writing of times every module shares.
package enum UTCTime {
  /// `2026-11-25T10:00:00Z`, whole seconds.
  package static func iso(_ date: Date) -> String {
    text(Int64(date.timeIntervalSince1970.rounded(.down)))
  }

  /// The UTC day, `2026-11-25`.
  package static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }

  /// An ISO 8601 date-time with a zone (`Z`, `+01:00`), or `nil`.
  package static func date(_ text: String) -> Date? {
    seconds(text[...], requireZone: true).map {
      Date(timeIntervalSince1970: TimeInterval($0))
    }
  }

  /// Seconds since 1970 (UTC) of an ISO 8601 date or date-time, or `nil`.
  ///
  /// Accepted: (`2026-11-25`,
  /// `2026-11-25T17:40`, `…:05`, `…:05.250`, with `Z`, `+01:00` or `+0100`), or `nil`.
  /// With `requireZone`, a date-time without a zone is refused.
  package static func seconds(_ text: Substring, requireZone: Bool) -> Int64? {
    let b = Array(text.utf8)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= b.count else { return nil }
      var value = 0
      for i in start..<start + count {
        guard b[i] >= 48, b[i] <= 57 else { return nil }
        value = value * 10 + Int(b[i] - 48)
      }
      return value
    }
    guard let year = number(0, 4), b.count >= 10, b[4] == 45, let month = number(5, 2),
      b[7] == 45, let day = number(8, 2), (1...12).contains(month),
      (1...daysIn(month, year)).contains(day)
    else { return nil }
    var seconds = Int64(daysFromCivil(year, month, day)) * 86_400
    guard b.count > 10 else { return requireZone ? nil : seconds }
    guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let hour = number(11, 2),
      b.count > 13, b[13] == 58, let minute = number(14, 2), hour < 24, minute < 60
    else { return nil }
    seconds += Int64(hour * 3600 + minute * 60)
    var index = 16
    if index < b.count, b[index] == 58 {
      guard let second = number(index + 1, 2), second < 61 else { return nil }
      seconds += Int64(second)
      index += 3
      if index < b.count, b[index] == UInt8(ascii: ".") {
        index += 1
        let start = index
        while index < b.count, b[index] >= 48, b[index] <= 57 { index += 1 }
        guard index > start else { return nil }
      }
    }
    guard index < b.count else { return requireZone ? nil : seconds }
    if b[index] == UInt8(ascii: "Z") {
      return index + 1 == b.count ? seconds : nil
    }
    guard b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-"),
      let zoneHours = number(index + 1, 2), zoneHours <= 14
    else { return nil }
    var zoneMinutes = 0
    let rest = b.count - (index + 3)
    if rest == 3, b[index + 3] == 58, let minutes = number(index + 4, 2) {
      zoneMinutes = minutes
    } else if rest == 2, let minutes = number(index + 3, 2) {
      zoneMinutes = minutes
    } else if rest != 0 {
      return nil
    }
    let offset = Int64(zoneHours * 3600 + zoneMinutes * 60)
    return b[index] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
  }

  /// An instant as canonical UTC text, `2026-11-27T23:00:00Z`.
  package static func text(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let rest = Int(seconds - days * 86_400)
    let (year, month, day) = civilFromDays(Int(days))
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
    return "\(yearText)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):"
      + "\(two(rest % 60))Z"
  }

  /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
  package static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPrime = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
    let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func daysIn(_ month: Int, _ year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  package static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
