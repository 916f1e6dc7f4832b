import Catalog
import Foundation
import Importers

extension PushService {
  /// A batch of one merchant's products, read and decided, ready to send.
  struct ProductBatch: Sendable {
    var merchant: String
    var decision = Decision()
    var upsertFeed: [UInt8] = []
    var deletionFeed: [UInt8] = []
    var sample: [String] = []
  }

  /// Sends the product chunks in order, each batch read and decided while the remote imports
  /// the one before (two cores: the push's reading and CSV writing overlap the remote's import).
  func pushProducts(
    _ chunks: [(merchant: String, changes: [PushJournal.Change])], from: Int64, to: Int64,
    _ client: PushClient, _ report: inout PushReport
  ) async throws {
    guard !chunks.isEmpty else { return }
    var next: Task<ProductBatch, any Error>? = Task {
      try await prepare(chunks[0].changes, of: chunks[0].merchant, client)
    }
    defer { next?.cancel() }
    for index in chunks.indices {
      guard let current = next else { break }
      let batch = try await current.value
      next =
        index + 1 < chunks.count
        ? Task { [chunks] in
          try await prepare(chunks[index + 1].changes, of: chunks[index + 1].merchant, client)
        } : nil
      try await send(batch, from: from, to: to, client, &report)
    }
  }

  /// Reads a chunk's products here and their hashes on the remote, and decides what to send.
  func prepare(_ changes: [PushJournal.Change], of merchant: String, _ client: PushClient)
    async throws -> ProductBatch
  {
    let ids = changes.map(\.key)
    let local = try await CatalogService(store: store).lines(merchant: merchant, ids: ids)
    var batch = ProductBatch(merchant: merchant)
    let present = ids.filter { local[$0] != nil }
    let absent = ids.filter { local[$0] == nil }
    let options = client.options
    if options.dryRun {
      batch.decision.upserts = present
      if options.allowDeletes {
        batch.decision.deletions = absent
      } else {
        batch.decision.skippedDeletions = absent.map { "catalog \(merchant)/\($0)" }
      }
      batch.sample = present.prefix(5).map { "catalog \(merchant) " + (local[$0]?.line ?? "") }
      return batch
    }
    let sent = try await journal.sent(client.url, merchant: merchant, ids: ids)
    let remote = try await client.hashes(merchant: merchant, ids: ids)
    let decision = Decision(
      ids, local: local.mapValues(\.hash), remote: remote, sent: sent,
      label: "catalog \(merchant)", options: options)
    batch.decision = decision
    if !decision.upserts.isEmpty {
      batch.upsertFeed = Self.csv(decision.upserts.compactMap { local[$0]?.line })
    }
    if !decision.deletions.isEmpty {
      batch.deletionFeed = Array(
        ("id\n" + decision.deletions.map(FeedWriter.csvCell).joined(separator: "\n") + "\n").utf8)
    }
    return batch
  }

  /// Sends a prepared batch (upserts, then deletions) and remembers what was acknowledged.
  func send(
    _ batch: ProductBatch, from: Int64, to: Int64, _ client: PushClient,
    _ report: inout PushReport
  ) async throws {
    let decision = batch.decision
    report.unchanged += decision.unchanged
    report.conflicts += decision.conflicts
    report.skippedDeletions += decision.skippedDeletions
    report.sample += batch.sample.prefix(max(0, 5 - report.sample.count))
    if client.options.dryRun {
      report.products += decision.upserts.count
      report.deletions += decision.deletions.count
      return
    }
    let merchant = batch.merchant
    if !decision.upserts.isEmpty {
      try await client.catalog(
        merchant: merchant, mode: "upsert", body: batch.upsertFeed,
        key: Self.key(client.url, merchant, "upsert", from, to, batch.upsertFeed))
      report.products += decision.upserts.count
      report.batches += 1
    }
    if !decision.deletions.isEmpty {
      try await client.catalog(
        merchant: merchant, mode: "delete", body: batch.deletionFeed,
        key: Self.key(client.url, merchant, "delete", from, to, batch.deletionFeed))
      report.deletions += decision.deletions.count
      report.batches += 1
    }
    try await journal.acknowledge(
      client.url, merchant: merchant, hashes: decision.acknowledged, removed: decision.deletions)
  }
}

/// What a push does with changed rows, from their hashes here, on the remote, and as the last
/// push sent them: send, delete, leave (equal), or report (a conflict, a deletion not allowed).
struct Decision: Sendable {
  var upserts: [String] = []
  var deletions: [String] = []
  /// The hashes to remember once the remote acknowledged: what is sent, and what was equal.
  var acknowledged: [String: Int64] = [:]
  var unchanged = 0
  var conflicts: [String] = []
  var skippedDeletions: [String] = []

  init() {}

  /// Decides for `ids`.
  ///
  /// `local` lacks the ids removed here. `label` names the rows in the lists (`catalog acme` →
  /// `catalog acme/SKU-1: changed on the remote`).
  init(
    _ ids: [String], local: [String: Int64], remote: [String: Int64], sent: [String: Int64],
    label: String, options: PushOptions
  ) {
    for id in ids {
      let theirs = remote[id]
      guard let mine = local[id] else {
        guard theirs != nil else { continue }
        if !options.allowDeletes {
          skippedDeletions.append("\(label)/\(id)")
        } else if !options.force, let theirs, let last = sent[id], theirs != last {
          conflicts.append("\(label)/\(id): changed on the remote, deleted here")
        } else {
          deletions.append(id)
        }
        continue
      }
      if theirs == mine {
        unchanged += 1
        acknowledged[id] = mine
      } else if !options.force, let theirs, theirs != sent[id] {
        conflicts.append("\(label)/\(id): changed on the remote")
      } else if !options.force, theirs == nil, sent[id] != nil {
        conflicts.append("\(label)/\(id): deleted on the remote")
      } else {
        upserts.append(id)
        acknowledged[id] = mine
      }
    }
  }
}
