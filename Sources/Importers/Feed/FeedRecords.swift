import MktCore

/// A feed's records for one consumer, read a bounded number of batches ahead on a thread of
/// their own (``FeedReadAhead``).
///
/// For Merchant Center XML the thread only parses, and each record is built from its item's
/// text on the consumer's thread (``XMLItemText``): libxml2's parsing alone is most of a
/// core's work, and the validating consumer has time to spare. Other formats come over as
/// records.
public final class FeedRecords {
  private enum Ahead {
    case records(FeedReadAhead<ProductRecord>)
    case xml(FeedReadAhead<XMLItemText>, FeedOptions)
  }

  private let ahead: Ahead

  /// Starts reading `reader` on a new thread; `reader` is not used by this one from now on.
  ///
  /// - Parameters:
  ///   - reader: The feed.
  ///   - batchSize: Items handed over at a time.
  ///   - depth: Batches that may wait for the consumer.
  public init(_ reader: FeedReader, batchSize: Int = 256, depth: Int = 4) {
    if let xml = reader.xml {
      ahead = .xml(
        FeedReadAhead(texts: xml, of: reader, batchSize: batchSize, depth: depth), xml.options)
    } else {
      ahead = .records(FeedReadAhead(records: reader, batchSize: batchSize, depth: depth))
    }
  }

  deinit { cancel() }

  /// Reads the next record into `record`, in feed order; `false` at the end.
  ///
  /// The record's storage is reused where the format allows. The reading thread's error is
  /// rethrown in place, after the records before it.
  ///
  /// The id is in Unicode's composed form (NFC), as ``FeedReader/next(into:)`` gives it.
  public func next(into record: inout ProductRecord) throws -> Bool {
    switch ahead {
    case .records(let records):
      guard let next = try records.next() else { return false }
      record = next
    case .xml(let texts, let options):
      guard let text = try texts.next() else { return false }
      text.fill(&record, options: options)
      record.composeID()
    }
    return true
  }

  /// Products the feed says are not for sale, passed over; final once ``next(into:)`` returned
  /// `false`.
  public var skippedDrafts: Int {
    switch ahead {
    case .records(let records): records.skippedDrafts
    case .xml(let texts, _): texts.skippedDrafts
    }
  }

  /// Stops the reading thread; the records not consumed are dropped.
  public func cancel() {
    switch ahead {
    case .records(let records): records.cancel()
    case .xml(let texts, _): texts.cancel()
    }
  }
}
