import Foundation

/// A progress line on standard error: bytes done, percentage, rate and time left; redrawn at most
/// ten times a second, from any thread.
final class Progress: @unchecked Sendable {
  // SAFETY: every mutable field is read and written under `lock` (NSLock, not Mutex: TSan
  // reports false races on Mutex on Linux, RELIABILITY.md §2).
  private let lock = NSLock()
  private let label: String
  private let total: Int64?
  private let started = ContinuousClock.now
  private var lastDraw = ContinuousClock.now - .seconds(1)
  private var drawn = false
  /// What is counted: `nil` for bytes, else a plural noun such as `merchants`.
  private let unit: String?

  init(label: String, total: Int64?, unit: String? = nil) {
    self.label = label
    self.total = total
    self.unit = unit
  }

  private func amount(_ value: Double) -> String {
    unit.map { "\(Int(value)) \($0)" } ?? Self.bytes(value)
  }

  /// Records that `done` bytes are processed; `note` (such as `120000 rows`) follows the count.
  func update(_ done: Int64, note: String? = nil) {
    lock.lock()
    defer { lock.unlock() }
    let now = ContinuousClock.now
    guard now - lastDraw >= .milliseconds(100) else { return }
    lastDraw = now
    drawn = true
    let seconds = max(Double((now - started) / .milliseconds(1)) / 1000, 0.001)
    let rate = Double(done) / seconds
    var line = "\r\(label) \(amount(Double(done)))" + (note.map { " (\($0))" } ?? "")
    if let total, total > 0 {
      let percent = min(100, Int(Double(done) * 100 / Double(total)))
      let left = rate > 0 ? Int(Double(total - done) / rate) : 0
      line += " of \(amount(Double(total))) \(percent)% \(amount(rate))/s"
      line += " ETA \(left / 60):\(String(format: "%02d", left % 60))"
    } else {
      line += " \(amount(rate))/s"
    }
    try? RawWriter.write(line + "\u{1B}[K", to: 2)
  }

  /// Clears the line.
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if drawn { try? RawWriter.write("\r\u{1B}[K", to: 2) }
  }

  static func bytes(_ value: Double) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = value
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f", value) + " " + units[unit]
  }
}
