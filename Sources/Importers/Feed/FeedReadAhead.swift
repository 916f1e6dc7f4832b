import Foundation
import MktCore

/// Reads a feed on a thread of its own, a bounded number of batches ahead of its consumer.
///
/// The thread reads and parses each record and hands `prepare`'s result on; the consumer takes
/// them in feed order with ``next()``. Both cores work: `mkt feed check` validates while the
/// next records are parsed, an import writes while the next items are read and normalised.
///
/// At most `depth` batches wait, so memory stays flat whatever the feed's size. An error of the
/// reading thread reaches the consumer after the items before it, as if read in line.
/// ``cancel()`` (also on deinit) stops the thread at its next batch.
public final class FeedReadAhead<Item>: @unchecked Sendable {
  // SAFETY: the reader and the filling closure are used by the reading thread only, after
  // `init`; the counters are written by that thread and read by others under the queue's lock.
  private let queue: BatchQueue<Item>
  private var bytes = 0
  private var skipped = 0

  /// Starts reading `reader` on a new thread, handing each record to `prepare`.
  ///
  /// - Parameters:
  ///   - reader: The feed; used by the reading thread only from now on.
  ///   - batchSize: Items handed over at a time.
  ///   - depth: Batches that may wait for the consumer.
  ///   - prepare: The work done on the reading thread per record.
  public convenience init(
    reader: FeedReader, batchSize: Int = 128, depth: Int = 4,
    prepare: @escaping (ProductRecord) -> Item
  ) {
    var record = ProductRecord(location: InputLocation(), item: 0)
    self.init(reader: reader, depth: depth, recycling: false) { batch in
      batch.removeAll(keepingCapacity: true)
      while batch.count < batchSize, try reader.next(into: &record) {
        batch.append(prepare(record))
        // A fresh record for the next item: refilling this one, which the batch shares,
        // would copy all of its values first.
        record = ProductRecord(location: InputLocation(), item: 0)
      }
    }
  }

  /// Starts a thread that fills batches with `fill` (which leaves a batch empty at the end)
  /// and hands them on.
  private init(
    reader: FeedReader, depth: Int, recycling: Bool, fill: @escaping (inout [Item]) throws -> Void
  ) {
    queue = BatchQueue(depth: depth, recycling: recycling)
    nonisolated(unsafe) let reader = reader
    nonisolated(unsafe) let fill = fill
    let thread = Thread { [self] in
      var batch: [Item] = []
      do {
        while true {
          if let spent = queue.recycled() { batch = spent }
          try fill(&batch)
          if batch.isEmpty { break }
          guard queue.hand(batch, locked: { bytes = reader.bytesRead }) else { return }
          batch = []
        }
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

  /// Bytes of the feed read so far by the reading thread.
  public var bytesRead: Int { queue.withLock { bytes } }

  /// Products the feed says are not for sale (drafts, archived, disabled), passed over; final
  /// once ``next()`` returned `nil`.
  public var skippedDrafts: Int { queue.withLock { skipped } }

  /// The next item in feed order, `nil` at the end; rethrows the reading thread's error in
  /// place.
  public func next() throws -> Item? { try queue.next() }

  /// Stops the reading thread; the items not consumed are dropped.
  public func cancel() { queue.cancel() }
}

extension FeedReadAhead {
  /// Starts a thread that refills the items the consumer is done with in place
  /// (``BatchQueue/init(depth:recycling:)``), with `next`, `batchSize` at a time: no item is
  /// allocated per feed item, and every value is freed by the thread that made it.
  private convenience init(
    reader: FeedReader, batchSize: Int, depth: Int, refilling blank: @escaping () -> Item,
    next: @escaping (inout Item) throws -> Bool
  ) {
    self.init(reader: reader, depth: depth, recycling: true) { batch in
      var filled = 0
      // Also when the reader throws: the items before the error go on, no stale one.
      defer { batch.removeSubrange(filled...) }
      while filled < batchSize {
        if filled == batch.count { batch.append(blank()) }
        guard try next(&batch[filled]) else { break }
        filled += 1
      }
    }
  }
}

extension FeedReadAhead where Item == ProductRecord {
  /// Starts reading `reader`'s records on a new thread, refilling the records the consumer is
  /// done with.
  ///
  /// - Parameters:
  ///   - reader: The feed; used by the reading thread only from now on.
  ///   - batchSize: Records handed over at a time.
  ///   - depth: Batches that may wait for the consumer.
  public convenience init(records reader: FeedReader, batchSize: Int = 256, depth: Int = 4) {
    self.init(
      reader: reader, batchSize: batchSize, depth: depth,
      refilling: { ProductRecord(location: InputLocation(), item: 0) },
      next: { try reader.next(into: &$0) })
  }
}

extension FeedReadAhead where Item == XMLItemText {
  /// Starts parsing an XML feed's items on a new thread, handing on their text only: the
  /// consumer builds the records (``XMLItemText/fill(_:options:)``), and the items it is done
  /// with come back to be refilled.
  ///
  /// - Parameters:
  ///   - xml: The parser, `reader`'s own.
  ///   - reader: The feed, for progress; used by the reading thread only from now on.
  ///   - batchSize: Items handed over at a time.
  ///   - depth: Batches that may wait for the consumer.
  convenience init(
    texts xml: MerchantXMLReader, of reader: FeedReader, batchSize: Int = 256, depth: Int = 4
  ) {
    nonisolated(unsafe) let xml = xml
    self.init(
      reader: reader, batchSize: batchSize, depth: depth, refilling: { XMLItemText() },
      next: { try xml.next(text: &$0) })
  }
}
