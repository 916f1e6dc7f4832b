import Foundation

/// How long a command may still wait for other processes' locks before it gives up.
///
/// `--busy-timeout 5` means five seconds between two steps of progress: the waits of opening
/// (the WAL set-up, a migration) and of the first write transaction come from one budget, and
/// a committed transaction refills it. So a command never waits longer than it says before
/// saying so (hardening class 10), and a long run (many placements) is not starved.
final class WaitBudget: @unchecked Sendable {
  // SAFETY: `left` is read and written under `lock` only.
  private let lock = NSLock()
  private let whole: Duration
  private var left: Duration

  init(seconds: Double) {
    whole = .milliseconds(Int64(max(0, seconds) * 1000))
    left = whole
  }

  /// Gives back the whole timeout after progress.
  func refill() {
    lock.lock()
    defer { lock.unlock() }
    left = whole
  }

  /// What is left, in whole milliseconds (SQLite's `busy_timeout` unit).
  var milliseconds: Int {
    lock.lock()
    defer { lock.unlock() }
    return Int(left / .milliseconds(1))
  }

  /// Takes `waited` from the budget.
  func spend(_ waited: Duration) {
    lock.lock()
    defer { lock.unlock() }
    left = max(.zero, left - waited)
  }
}
