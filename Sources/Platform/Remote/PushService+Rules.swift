import Catalog
import Foundation
import Importers
import Pricing

extension PushService {
  /// Sends changed pricing rules (in journal order, at most a batch per request) and, with
  /// `--allow-deletes`, removes those removed here; conflicts as for products.
  ///
  /// A rule's push record is kept under the empty merchant and `rule:<id>`: its merchant may
  /// change with its scope, its id does not.
  func pushRules(
    _ changed: [String], from: Int64, to: Int64, _ client: PushClient,
    _ report: inout PushReport
  ) async throws {
    var seen = Set<String>()
    let ids = changed.filter { seen.insert($0).inserted }
    guard !ids.isEmpty else { return }
    let local = try await PricingService(store: store).storedRules(ids: ids)
    let options = client.options
    if options.dryRun {
      report.rules += ids.filter { local[$0] != nil }.count
      let absent = ids.filter { local[$0] == nil }
      if options.allowDeletes {
        report.deletions += absent.count
      } else {
        report.skippedDeletions += absent.map { "rule \($0)" }
      }
      for id in ids.prefix(max(0, 5 - report.sample.count)) {
        report.sample.append("rule " + (local[id]?.json ?? "\(id) (removed)"))
      }
      return
    }
    let records = Dictionary(uniqueKeysWithValues: ids.map { ("rule:" + $0, $0) })
    let sent = try await journal.sent(client.url, merchant: "", ids: Array(records.keys))
    let decision = Decision(
      ids, local: local.mapValues(\.hash), remote: try await client.ruleHashes(ids),
      sent: Dictionary(
        uniqueKeysWithValues: sent.compactMap { key, hash in
          records[key].map { ($0, hash) }
        }), label: "rule", options: options)
    report.unchanged += decision.unchanged
    report.conflicts += decision.conflicts
    report.skippedDeletions += decision.skippedDeletions
    let size = min(options.batchSize, 1_000)
    for start in stride(from: 0, to: decision.upserts.count, by: size) {
      let chunk = decision.upserts[start..<min(start + size, decision.upserts.count)]
      let body = Array(
        ("[" + chunk.compactMap { local[$0]?.json }.joined(separator: ",") + "]").utf8)
      try await client.rules(body: body, key: Self.key(client.url, "", "rules", from, to, body))
      report.rules += chunk.count
      report.batches += 1
    }
    for id in decision.deletions {
      try await client.removeRule(id)
      report.deletions += 1
    }
    try await journal.acknowledge(
      client.url, merchant: "",
      hashes: Dictionary(uniqueKeysWithValues: decision.acknowledged.map { ("rule:" + $0, $1) }),
      removed: decision.deletions.map { "rule:" + $0 })
  }

  /// Sends one batch of a merchant's translations (`id,language,field,text`).
  ///
  /// A translation removed here went with its product (deleted, or its feed now in that
  /// language): the product's own push carries that, so nothing is sent for it.
  func pushTranslations(
    _ changes: [PushJournal.Change], of merchant: String, from: Int64, to: Int64,
    _ client: PushClient, _ report: inout PushReport
  ) async throws {
    let found = try await CatalogService(store: store).translations(
      merchant: merchant, keys: changes.map { ($0.key, $0.part) })
    guard !found.isEmpty else { return }
    if client.options.dryRun {
      report.translations += found.count
      for row in found.prefix(max(0, 5 - report.sample.count)) {
        report.sample.append("translation \(merchant) \(row.id) \(row.language): \(row.title)")
      }
      return
    }
    var text = "id,language,field,text\n"
    for row in found {
      let prefix = FeedWriter.csvCell(row.id) + "," + row.language + ","
      text += prefix + "title," + FeedWriter.csvCell(row.title) + "\n"
      if !row.description.isEmpty {
        text += prefix + "description," + FeedWriter.csvCell(row.description) + "\n"
      }
    }
    let body = Array(text.utf8)
    try await client.translations(
      merchant: merchant, body: body,
      key: Self.key(client.url, merchant, "translations", from, to, body))
    report.translations += found.count
    report.batches += 1
  }
}
