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
  private let queue: BatchQueue<ImportItem>
  // Written by the reading thread under the queue's lock.
  private var bytes = 0
  private var skipped = 0

  /// Starts reading `reader` on a new thread, handing each record to `stage`.
  init(reader: FeedReader, stage: ImportStage, batchSize: Int = 128, depth: Int = 4) {
    queue = BatchQueue(depth: depth)
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
            guard queue.hand(batch, locked: { bytes = reader.bytesRead }) else { return }
            batch = []
            batch.reserveCapacity(batchSize)
          }
        }
        _ = queue.hand(batch, locked: { bytes = reader.bytesRead })
        queue.finish(nil) { skipped = reader.skippedDrafts }
      } catch {
        _ = queue.hand(batch, locked: { bytes = reader.bytesRead })
        queue.finish(error) { skipped = reader.skippedDrafts }
      }
    }
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// Bytes of the feed read so far by the first stage.
  var bytesRead: Int { queue.withLock { bytes } }

  /// Products the feed says are not for sale (drafts, archived, disabled), passed over; final
  /// once ``next()`` returned `nil`.
  var skippedDrafts: Int { queue.withLock { skipped } }

  /// The next item in feed order, `nil` at the end; rethrows the first stage's error in place.
  func next() throws -> ImportItem? { try queue.next() }

  /// Stops the first stage; the items not consumed are dropped.
  func cancel() { queue.cancel() }
}
