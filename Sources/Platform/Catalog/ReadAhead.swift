import Foundation
import Importers
import MktCore

/// Runs an import's first stage on a thread of its own, a bounded number of batches ahead.
///
/// Reading and parsing the feed, and, when the writer needs no stored rows to judge
/// them, validating and normalising too. The writer's transaction consumes the items in feed
/// order; both cores work.
///
/// At most `depth` batches wait, so memory stays flat whatever the feed's size. An error in the
/// first stage reaches the writer after the items before it, as if read in line. ``cancel()``
/// (also on deinit) stops the thread at its next batch.
final class ReadAhead: @unchecked Sendable {
  private let condition = NSCondition()
  private var batches: [[ImportItem]] = []
  private var failure: (any Error)?
  private var finished = false
  private var cancelled = false
  private var current: [ImportItem] = []
  private var position = 0
  private let depth: Int
  private var bytes = 0
  private var skipped = 0

  /// Starts reading `reader` on a new thread, handing each record to `stage`.
  init(reader: FeedReader, stage: ImportStage, batchSize: Int = 128, depth: Int = 4) {
    self.depth = depth
    nonisolated(unsafe) let reader = reader
    let thread = Thread { [self] in
      var stage = stage
      var batch: [ImportItem] = []
      batch.reserveCapacity(batchSize)
      do {
        var record = ProductRecord(location: InputLocation(), item: 0)
        while try reader.next(into: &record) {
          batch.append(stage.prepare(record))
          if batch.count == batchSize {
            guard hand(batch, bytes: reader.bytesRead) else { return }
            batch = []
            batch.reserveCapacity(batchSize)
          }
        }
        _ = hand(batch, bytes: reader.bytesRead)
        finish(nil, skipped: reader.skippedDrafts)
      } catch {
        _ = hand(batch, bytes: reader.bytesRead)
        finish(error, skipped: reader.skippedDrafts)
      }
    }
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// Bytes of the feed read so far by the first stage.
  var bytesRead: Int {
    condition.lock()
    defer { condition.unlock() }
    return bytes
  }

  /// Products the feed says are not for sale (drafts, archived, disabled), passed over; final
  /// once ``next()`` returned `nil`.
  var skippedDrafts: Int {
    condition.lock()
    defer { condition.unlock() }
    return skipped
  }

  /// The next item in feed order, `nil` at the end; rethrows the first stage's error in place.
  func next() throws -> ImportItem? {
    if position < current.count {
      defer { position += 1 }
      return current[position]
    }
    condition.lock()
    defer { condition.unlock() }
    while batches.isEmpty && !finished { condition.wait() }
    if batches.isEmpty {
      if let failure {
        self.failure = nil
        throw failure
      }
      return nil
    }
    current = batches.removeFirst()
    condition.broadcast()
    position = 1
    return current.isEmpty ? nil : current[0]
  }

  /// Stops the first stage; the items not consumed are dropped.
  func cancel() {
    condition.lock()
    cancelled = true
    batches.removeAll()
    condition.broadcast()
    condition.unlock()
  }

  /// Queues `batch`, waiting while `depth` batches wait; `false` once cancelled.
  private func hand(_ batch: [ImportItem], bytes: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while batches.count >= depth && !cancelled { condition.wait() }
    guard !cancelled else { return false }
    if !batch.isEmpty { batches.append(batch) }
    self.bytes = bytes
    condition.broadcast()
    return true
  }

  private func finish(_ error: (any Error)?, skipped: Int) {
    condition.lock()
    failure = error
    self.skipped = skipped
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
