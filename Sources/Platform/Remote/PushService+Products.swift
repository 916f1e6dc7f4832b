import Catalog
import Foundation
import Importers

extension PushService {
  /// A batch of one merchant's products, read and decided, ready to send.
  struct ProductBatch: Sendable {
    var merchant: String
    var upserts: [String] = []
    var upsertFeed: [UInt8] = []
    var deletions: [String] = []
    var deletionFeed: [UInt8] = []
    /// The hashes to remember once the remote acknowledged: what is sent, and what the remote
    /// already had equal.
    var acknowledged: [String: Int64] = [:]
    var unchanged = 0
    var conflicts: [String] = []
    var skippedDeletions: [String] = []
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
      batch.upserts = present
      if options.allowDeletes {
        batch.deletions = absent
      } else {
        batch.skippedDeletions = absent.map { "catalog \(merchant)/\($0)" }
      }
      batch.sample = present.prefix(5).map { "catalog \(merchant) " + (local[$0]?.line ?? "") }
      return batch
    }
    let sent = try await journal.sent(client.url, merchant: merchant, ids: ids)
    let remote = try await client.hashes(merchant: merchant, ids: ids)
    let decision = Decision(
      ids, local: local.mapValues(\.hash), remote: remote, sent: sent,
      label: "catalog \(merchant)", options: options)
    batch.upserts = decision.upserts
    batch.deletions = decision.deletions
    batch.acknowledged = decision.acknowledged
    batch.unchanged = decision.unchanged
    batch.conflicts = decision.conflicts
    batch.skippedDeletions = decision.skippedDeletions
    if !batch.upserts.isEmpty {
      batch.upsertFeed = Self.csv(batch.upserts.compactMap { local[$0]?.line })
    }
    if !batch.deletions.isEmpty {
      batch.deletionFeed = Array(
        ("id\n" + batch.deletions.map(FeedWriter.csvCell).joined(separator: "\n") + "\n").utf8)
    }
    return batch
  }

  /// Sends a prepared batch (upserts, then deletions) and remembers what was acknowledged.
  func send(
    _ batch: ProductBatch, from: Int64, to: Int64, _ client: PushClient,
    _ report: inout PushReport
  ) async throws {
    report.unchanged += batch.unchanged
    report.conflicts += batch.conflicts
    report.skippedDeletions += batch.skippedDeletions
    report.sample += batch.sample.prefix(max(0, 5 - report.sample.count))
    if client.options.dryRun {
      report.products += batch.upserts.count
      report.deletions += batch.deletions.count
      return
    }
    let merchant = batch.merchant
    if !batch.upserts.isEmpty {
      try await client.catalog(
        merchant: merchant, mode: "upsert", body: batch.upsertFeed,
        key: Self.key(client.url, merchant, "upsert", from, to, batch.upsertFeed))
      report.products += batch.upserts.count
      report.batches += 1
    }
    if !batch.deletions.isEmpty {
      try await client.catalog(
        merchant: merchant, mode: "delete", body: batch.deletionFeed,
        key: Self.key(client.url, merchant, "delete", from, to, batch.deletionFeed))
      report.deletions += batch.deletions.count
      report.batches += 1
    }
    try await journal.acknowledge(
      client.url, merchant: merchant, hashes: batch.acknowledged, removed: batch.deletions)
  }
}

/// What a push does with changed rows, from their hashes here, on the remote, and as the last
/// push sent them: send, delete, leave (equal), or report (a conflict, a deletion not allowed).
struct Decision {
  var upserts: [String] = []
  var deletions: [String] = []
  /// The hashes to remember once the remote acknowledged: what is sent, and what was equal.
  var acknowledged: [String: Int64] = [:]
  var unchanged = 0
  var conflicts: [String] = []
  var skippedDeletions: [String] = []

  /// Decides for `ids`.
  ///
  /// `local` lacks the ids removed here. `label` names the rows in the lists (`catalog acme` → `catalog acme/SKU-1: changed on the remote`).
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
