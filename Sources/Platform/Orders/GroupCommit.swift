import Foundation
import Fraud
import GRDB
import Store

/// Placements waiting for the next write transaction, and whether one is running.
final class GroupCommit: @unchecked Sendable {
  // SAFETY: `waiting` and `running` are only touched with `lock` held.
  private let lock = NSLock()
  private var waiting: [Job] = []
  private var running = false

  struct Job {
    var order: OrderService.Validated
    var continuation: CheckedContinuation<Placement, any Error>
  }

  /// Queues `order` and returns its placement once the transaction holding it has committed.
  func submit(_ order: OrderService.Validated, on service: OrderService) async throws -> Placement {
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
  ///
  /// Two stages overlap on the two cores: while one batch is written, the next is priced on a
  /// read connection (one read transaction for the whole batch).
  private func drain(_ service: OrderService) async {
    var ready = await price(take(), service)
    while true {
      if ready.isEmpty {
        // Nothing priced: stop, unless a placement arrived meanwhile.
        let more = lock.withLock {
          if waiting.isEmpty { running = false }
          return !waiting.isEmpty
        }
        guard more else { return }
        ready = await price(take(), service)
        continue
      }
      async let following = price(take(), service)
      await write(ready, service)
      ready = await following
    }
  }

  /// Up to a batch of waiting placements.
  private func take() -> [Job] {
    lock.withLock {
      let batch = Array(waiting.prefix(OrderService.batchLimit))
      waiting.removeFirst(batch.count)
      return batch
    }
  }

  /// A placement with its price, or answered already (a pricing failure).
  struct PricedJob {
    var job: Job
    var priced: OrderService.Priced
  }

  /// Prices `jobs` in one read transaction; those that cannot be priced are answered now.
  private func price(_ jobs: [Job], _ service: OrderService) async -> [PricedJob] {
    guard !jobs.isEmpty else { return [] }
    let orders = jobs.map(\.order)
    let results: [PriceOutcome]
    do {
      results = try await service.store.read { db in
        orders.map { order in
          do {
            return .priced(try service.price(order, db))
          } catch {
            return .failed(error)
          }
        }
      }
    } catch {
      for job in jobs { job.continuation.resume(throwing: error) }
      return []
    }
    var priced: [PricedJob] = []
    for (job, result) in zip(jobs, results) {
      switch result {
      case .priced(let value): priced.append(PricedJob(job: job, priced: value))
      case .failed(let error): job.continuation.resume(throwing: error)
      }
    }
    return priced
  }

  /// Writes priced placements in one transaction and answers their callers after the commit.
  private func write(_ batch: [PricedJob], _ service: OrderService) async {
    let orders = batch.map { ($0.job.order, $0.priced) }
    do {
      let outcomes = try await service.store.write(service.durability) { db in
        orders.map { order, priced -> Outcome in
          // A savepoint per order, through cached statements (GRDB's inSavepoint prepares
          // two statements per call).
          do {
            try db.cachedStatement(sql: "SAVEPOINT placement").execute()
          } catch {
            return .failed(error)
          }
          do {
            let placement = try service.apply(order, priced, db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT placement").execute()
            return .placed(placement)
          } catch let declined as DeclinedPayment {
            // Undo the order, then count the decline for the fraud signals.
            do {
              try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT placement").execute()
              try FraudHistory.recordDecline(declined.facts, db)
              try db.cachedStatement(sql: "RELEASE SAVEPOINT placement").execute()
            } catch {
              return .failed(error)
            }
            return .failed(declined.error)
          } catch let refusal as OrderError {
            // A fraud refusal wrote only its record, which stays; other refusals wrote nothing
            // worth keeping.
            do {
              if case .fraudRefused = refusal {
                try db.cachedStatement(sql: "RELEASE SAVEPOINT placement").execute()
              } else {
                try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT placement").execute()
                try db.cachedStatement(sql: "RELEASE SAVEPOINT placement").execute()
              }
            } catch {
              return .failed(error)
            }
            return .failed(refusal)
          } catch {
            do {
              try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT placement").execute()
              try db.cachedStatement(sql: "RELEASE SAVEPOINT placement").execute()
            } catch {
              return .failed(error)
            }
            return .failed(error)
          }
        }
      }
      for (job, outcome) in zip(batch, outcomes) {
        switch outcome {
        case .placed(let placement): job.job.continuation.resume(returning: placement)
        case .failed(let error): job.job.continuation.resume(throwing: error)
        }
      }
    } catch {
      // The commit itself failed (disk full, busy): no order of the batch was placed.
      for job in batch { job.job.continuation.resume(throwing: error) }
    }
  }

  enum PriceOutcome: @unchecked Sendable {
    // SAFETY: errors are immutable values handed to one waiting caller.
    case priced(OrderService.Priced)
    case failed(any Error)
  }

  enum Outcome: @unchecked Sendable {
    // SAFETY: errors are immutable values handed to one waiting caller.
    case placed(Placement)
    case failed(any Error)
  }
}
