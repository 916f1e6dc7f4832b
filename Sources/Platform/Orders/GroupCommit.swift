import Foundation
import GRDB
import Store

/// Placements waiting for the next write transaction, and whether one is running.
final class GroupCommit: @unchecked Sendable {
  // SAFETY: `waiting` and `running` are only touched with `lock` held.
  private let lock = NSLock()
  private var waiting: [Job] = []
  private var running = false

  struct Job {
    var order: OrderService.Prepared
    var continuation: CheckedContinuation<Placement, any Error>
  }

  /// Queues `order` and returns its placement once the transaction holding it has committed.
  func submit(_ order: OrderService.Prepared, on service: OrderService) async throws -> Placement {
    try await withCheckedThrowingContinuation { continuation in
      let start = lock.withLock {
        waiting.append(Job(order: order, continuation: continuation))
        defer { running = true }
        return !running
      }
      if start {
        Task { await self.drain(service) }
      }
    }
  }

  /// Commits batches until nothing waits: each batch one transaction, each order one savepoint.
  private func drain(_ service: OrderService) async {
    while true {
      let batch = lock.withLock {
        let batch = Array(waiting.prefix(OrderService.batchLimit))
        waiting.removeFirst(batch.count)
        if batch.isEmpty { running = false }
        return batch
      }
      if batch.isEmpty { return }
      let orders = batch.map(\.order)
      do {
        let outcomes = try await service.store.write(service.durability) { db in
          orders.map { order -> Outcome in
            do {
              var placement: Placement?
              try db.inSavepoint {
                placement = try service.apply(order, db)
                return .commit
              }
              return placement.map(Outcome.placed)
                ?? .failed(OrderError.invalidRequest("no result"))
            } catch {
              return .failed(error)
            }
          }
        }
        for (job, outcome) in zip(batch, outcomes) {
          switch outcome {
          case .placed(let placement): job.continuation.resume(returning: placement)
          case .failed(let error): job.continuation.resume(throwing: error)
          }
        }
      } catch {
        // The commit itself failed (disk full, busy): no order of the batch was placed.
        for job in batch { job.continuation.resume(throwing: error) }
      }
    }
  }

  enum Outcome: @unchecked Sendable {
    // SAFETY: errors are immutable values handed to one waiting caller.
    case placed(Placement)
    case failed(any Error)
  }
}
