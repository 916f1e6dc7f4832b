import Foundation
import MktCore

/// An event read, validated and hashed, ready for the writer: what ingest's second stage needs.
struct PreparedEvent {
  var encoded: EncodedEvent
  var key: Int64
  var digest: Int64
  var eventID: String
  /// Where the event's `event_id` is, for the message when it was stored with other content.
  var line: Int
  var column: Int
  /// Names and the segment this ingest meets here for the first time, to store.
  var names: [(NameKind, Int64, String)] = []
  var segment: (id: Int64, merchant: Int64, country: Int64, channel: Int64)?
}

/// What the first stage hands the writer for one line.
enum IngestItem {
  case rejected(RowIssue)
  case event(PreparedEvent)
}

/// Reads, validates and hashes events on a thread of its own, a bounded number of batches
/// ahead of the writer, so that both cores work (as catalog imports do); an error reading the
/// file reaches the writer after the events before it.
final class EventPipeline: @unchecked Sendable {
  private let queue = BatchQueue<IngestItem>(depth: 8)

  /// Starts reading `reader`, preparing each event with `latest` and `merchants`.
  init(reader: EventReader, latest: Int64, merchants: Set<String>) {
    nonisolated(unsafe) let reader = reader
    let thread = Thread { [queue] in
      var preparer = EventPreparer(latest: latest, merchants: merchants)
      var batch: [IngestItem] = []
      batch.reserveCapacity(1024)
      do {
        try reader.read { read in
          batch.append(preparer.prepare(read))
          if batch.count == 1024 {
            guard queue.hand(batch) else { throw CancellationError() }
            batch.removeAll(keepingCapacity: true)
          }
        }
        _ = queue.hand(batch)
        queue.finish(nil)
      } catch {
        _ = queue.hand(batch)
        queue.finish(error is CancellationError ? nil : error)
      }
    }
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// The next item in file order, `nil` at the end; rethrows the reader's error in place.
  func next() throws -> IngestItem? { try queue.next() }

  /// Stops the first stage.
  func cancel() { queue.cancel() }
}

/// Validates an event and computes its ids, key and digest; notes the names it meets first.
struct EventPreparer {
  let latest: Int64
  let merchants: Set<String>
  private var met = Int64Map<Bool>()
  /// The last id met per kind: most events repeat their merchant, country, channel and
  /// currency, which then cost no look-up.
  private var last = InlineArray<9, Int64>(repeating: 0)

  init(latest: Int64, merchants: Set<String>) {
    self.latest = latest
    self.merchants = merchants
  }

  mutating func prepare(_ read: Result<EventDraft, RowIssue>) -> IngestItem {
    let draft: EventDraft
    switch read {
    case .failure(let issue): return .rejected(issue)
    case .success(let value): draft = value
    }
    let event: Event
    switch draft.validated(latest: latest, merchants: merchants) {
    case .failure(let issue): return .rejected(issue)
    case .success(let value): event = value
    }
    var names: [(NameKind, Int64, String)] = []
    func id(_ kind: NameKind, _ name: String) -> Int64 {
      let id = Names.id(kind, name)
      let slot = Int(kind.rawValue)
      if id != 0, id != last[slot] {
        last[slot] = id
        if met.insert(id, true) { names.append((kind, id, name)) }
      }
      return id
    }
    let merchant = id(.merchant, event.merchant)
    let country = id(.country, event.country)
    let channel = id(.channel, event.channel)
    let segment = Names.segment(merchant: merchant, country: country, channel: channel)
    let encoded = EncodedEvent(
      day: event.day, ts: event.ts, type: event.type, user: StableHash.of(event.user),
      session: StableHash.of(event.session), segment: segment, country: country,
      product: id(.product, event.product), query: id(.query, event.query),
      priceMinor: event.priceMinor, currency: id(.currency, event.currency),
      results: event.results, experiment: id(.experiment, event.experiment),
      variant: id(.variant, event.variant))
    var hash = StableHash()
    for value in [
      encoded.ts, Int64(encoded.type.rawValue), encoded.user, encoded.session, segment,
      encoded.product, encoded.query, encoded.priceMinor ?? -1, encoded.currency,
      encoded.results ?? -1, encoded.experiment, encoded.variant, StableHash.of(event.eventID),
    ] {
      hash.add(value)
    }
    let digest = hash.value
    let key = event.eventID.isEmpty ? digest : StableHash.of("event_id\u{0}" + event.eventID)
    let location = draft.location(.eventID)
    var prepared = PreparedEvent(
      encoded: encoded, key: key, digest: digest, eventID: event.eventID, line: location.line ?? 0,
      column: location.column ?? 0, names: names)
    if met.insert(segment, true) {
      prepared.segment = (segment, merchant, country, channel)
    }
    return .event(prepared)
  }
}
