import Foundation
import MktCore

/// Reads a stock file on a thread of its own, a bounded number of batches ahead of the sync
/// that applies its rows: the file is parsed on the second core while the ledger works.
///
/// The rows come in file order from ``next()``; an error of the reading thread reaches the
/// sync after the rows before it, as if read in line. ``cancel()`` (also on deinit) stops the
/// thread at its next batch.
final class StockReadAhead: @unchecked Sendable {
  // SAFETY: the file is used by the reading thread only; what it could not read and how many
  // rows it read are written under the queue's lock when it finishes, and read under it.
  private let queue = BatchQueue<StockRow>(depth: 4)
  private var issues: [RowIssue] = []
  private var count = 0

  /// Starts reading `file` on a new thread, `batchSize` rows at a time.
  init(_ file: StockFile, batchSize: Int = 1024) {
    let thread = Thread { [self] in
      var reading = file
      var batch: [StockRow] = []
      batch.reserveCapacity(batchSize)
      do {
        try reading.read { row in
          batch.append(row)
          guard batch.count == batchSize else { return }
          guard queue.hand(batch) else { throw Cancelled() }
          batch.removeAll(keepingCapacity: true)
        }
        _ = queue.hand(batch)
        queue.finish(nil) { (issues, count) = (reading.issues, reading.count) }
      } catch is Cancelled {
        return
      } catch {
        _ = queue.hand(batch)
        queue.finish(error) { (issues, count) = (reading.issues, reading.count) }
      }
    }
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// The next row in file order, `nil` at the end; rethrows the reading thread's error in place.
  func next() throws -> StockRow? { try queue.next() }

  /// Stops the reading thread; the rows not taken are dropped.
  func cancel() { queue.cancel() }

  /// The rows the file could not give, and the rows it gave: final once ``next()`` returned
  /// `nil`.
  var result: (issues: [RowIssue], count: Int) { queue.withLock { (issues, count) } }

  /// Ends the reading thread when the sync stopped taking rows.
  private struct Cancelled: Error {}
}
