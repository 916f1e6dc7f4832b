import Foundation

/// Batches handed from a producer thread to one consumer, in order, at most `depth` waiting:
/// memory stays flat whatever the input's size, and both cores work.
///
/// The producer calls ``hand(_:)`` for each batch (false once the consumer cancelled: stop) and
/// ``finish(_:)`` at the end, with the error that stopped it if any; the consumer calls
/// ``next()``, which returns the items one by one and rethrows that error after the items
/// before it, as if read in line.
public final class BatchQueue<Item>: @unchecked Sendable {
  private let condition = NSCondition()
  private var batches: [[Item]] = []
  private var failure: (any Error)?
  private var finished = false
  private var cancelled = false
  private var current: [Item] = []
  private var position = 0
  private let depth: Int
  private let recycling: Bool
  private var spent: [[Item]] = []

  /// A queue of at most `depth` waiting batches.
  ///
  /// - Parameters:
  ///   - depth: Batches that may wait for the consumer.
  ///   - recycling: Whether consumed batches go back to the producer (``recycled()``), so it
  ///     refills their items in place instead of allocating new ones while the consumer frees
  ///     the old: every allocation and free then happens on the producer's thread.
  public init(depth: Int, recycling: Bool = false) {
    self.depth = depth
    self.recycling = recycling
  }

  /// The next item in order, `nil` at the end; rethrows the producer's error in place.
  public func next() throws -> Item? {
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
    if recycling && spent.count < depth && !current.isEmpty { spent.append(current) }
    current = batches.removeFirst()
    condition.broadcast()
    position = 1
    return current.isEmpty ? nil : current[0]
  }

  /// A batch the consumer is done with, for the producer to refill; `nil` when there is none
  /// (or the queue does not recycle).
  public func recycled() -> [Item]? {
    condition.lock()
    defer { condition.unlock() }
    return spent.popLast()
  }

  /// Stops the producer at its next batch; the items not consumed are dropped.
  public func cancel() {
    condition.lock()
    cancelled = true
    batches.removeAll()
    condition.broadcast()
    condition.unlock()
  }

  /// Queues `batch`, waiting while `depth` batches wait; `false` once cancelled.
  ///
  /// - Parameters:
  ///   - batch: The items, in order.
  ///   - locked: Runs with the queue's lock held once the batch is queued (progress counters).
  /// - Returns: whether the producer should go on.
  public func hand(_ batch: [Item], locked: () -> Void = {}) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while batches.count >= depth && !cancelled { condition.wait() }
    guard !cancelled else { return false }
    if !batch.isEmpty { batches.append(batch) }
    locked()
    condition.broadcast()
    return true
  }

  /// Ends the queue: `error` reaches the consumer after the items queued before it.
  ///
  /// - Parameters:
  ///   - error: What stopped the producer, if anything.
  ///   - locked: Runs with the queue's lock held (final counters).
  public func finish(_ error: (any Error)?, locked: () -> Void = {}) {
    condition.lock()
    failure = error
    finished = true
    locked()
    condition.broadcast()
    condition.unlock()
  }

  /// Runs `body` with the queue's lock held (to read what `locked` closures wrote).
  ///
  /// - Parameter body: The read.
  /// - Returns: what `body` returns.
  public func withLock<T>(_ body: () -> T) -> T {
    condition.lock()
    defer { condition.unlock() }
    return body()
  }
}
