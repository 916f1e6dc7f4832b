import Access
import Catalog
import Foundation
import Hummingbird
import Importers
import Inventory
import Merchants
import MktCore
import Pricing
import Remote
import Server
import Store
import Testing

/// A local database with merchant acme's catalog of `count` products and their stock.
struct LocalShop {
  let store: Store
  let directory: String

  init(count: Int = 40) async throws {
    directory = NSTemporaryDirectory() + "mkt-push-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    store = try Store.open(path: directory + "/local.db", mode: .create)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
    try await importFeed((1...count).map { ($0, "Linen shirt \($0)") })
    _ = try await InventoryService(store: store).addWarehouse(
      merchant: "acme", id: "W-acme", name: nil, country: "DE", serves: ["DE"])
    try await syncStock((1...count).map { ("L\($0)", $0) })
  }

  func importFeed(_ rows: [(Int, String)], mode: ImportMode = .upsert) async throws {
    var text = "id,title,description,link,image_link,availability,price,brand\n"
    for (index, title) in rows {
      text +=
        "L\(index),\(title),A shirt.,https://acme.example/l\(index),"
        + "https://cdn.acme.example/l\(index).jpg,in_stock,\(20 + index).00 EUR,Acme\n"
    }
    let path = directory + "/feed-\(UUID().uuidString).csv"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    _ = try await CatalogService(store: store).importFeed(
      path: path, feed: FeedOptions(merchant: "acme"), options: ImportOptions(mode: mode))
  }

  func syncStock(_ rows: [(String, Int)]) async throws {
    let path = directory + "/stock-\(UUID().uuidString).csv"
    try Data(
      ("sku,warehouse,quantity\n" + rows.map { "\($0.0),W-acme,\($0.1)\n" }.joined()).utf8
    ).write(to: URL(fileURLWithPath: path))
    _ = try await InventoryService(store: store).sync(path: path, merchant: "acme")
  }

  /// acme's canonical lines of the L products, by id.
  static func lines(_ store: Store, count: Int = 40) async throws -> [String: String] {
    try await CatalogService(store: store).lines(
      merchant: "acme", ids: (1...count).map { "L\($0)" }
    ).mapValues(\.line)
  }
}

@Suite(.serialized) struct PushTests {
  func options(_ shop: ServedShop, token: String? = nil) -> PushOptions {
    var options = PushOptions(
      url: "http://127.0.0.1:\(shop.running.port)", token: token ?? shop.acme)
    options.batchSize = 7
    options.attempts = 2
    return options
  }

  @Test func aPushMakesTheRemoteEqualAndThenSendsOnlyWhatChanged() async throws {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    let local = try await LocalShop()
    let push = PushService(store: local.store)
    var dry = options(remote)
    dry.dryRun = true
    let preview = try await push.push(dry)
    #expect(preview.products == 40 && preview.stockLevels == 40 && preview.sample.count == 5)
    #expect(try await LocalShop.lines(remote.store).isEmpty)
    let first = try await push.push(options(remote))
    #expect(first.products == 40 && first.stockLevels == 40 && first.batches == 12)
    #expect(try await LocalShop.lines(remote.store) == LocalShop.lines(local.store))
    let stock = try await InventoryService(store: remote.store).stock(sku: "L9", merchant: "acme")
    #expect(stock.first?.onHand == 9)
    // The remote's own products are untouched.
    #expect(
      try await CatalogService(store: remote.store).lines(merchant: "acme", ids: ["A1"]).count == 1)
    try await local.importFeed([(7, "Linen shirt 7 now blue")])
    let second = try await push.push(options(remote))
    #expect(second.products == 1 && second.stockLevels == 0 && second.batches == 1)
    #expect(try await LocalShop.lines(remote.store) == LocalShop.lines(local.store))
    let third = try await push.push(options(remote))
    #expect(third.products == 0 && third.batches == 0 && third.from == third.to)
  }

  @Test func conflictsAreListedAndOnlyForcedOverwriteDeletionsNeedPermission() async throws {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    let local = try await LocalShop(count: 10)
    let push = PushService(store: local.store)
    _ = try await push.push(options(remote))
    // Someone edits L3 on the remote; we edit it here too.
    let edit = try await remote.call(
      "PUT", "/v1/catalog?merchant=acme", token: remote.acme,
      body: Data("id,title\nL3,Edited remotely\n".utf8))
    #expect(edit.status == 200, "\(edit.text)")
    try await local.importFeed([(3, "Edited here"), (4, "Also edited here")])
    await #expect(throws: PushError.self) { try await push.push(options(remote)) }
    let remoteL3 = try await LocalShop.lines(remote.store, count: 10)["L3"] ?? ""
    #expect(remoteL3.contains("Edited remotely"))
    #expect(
      try await LocalShop.lines(remote.store, count: 10)["L4"]?.contains("Also edited here") == true
    )
    #expect(try await push.status().first?.lastError?.contains("changed on the remote") == true)
    var forced = options(remote)
    forced.force = true
    _ = try await push.push(forced)
    #expect(
      try await LocalShop.lines(remote.store, count: 10) == LocalShop.lines(local.store, count: 10))
    // A deletion is listed, not sent, until allowed.
    try await local.importFeed([(5, "")], mode: .delete)
    let kept = try await push.push(options(remote))
    #expect(kept.skippedDeletions == ["catalog acme/L5"] && kept.deletions == 0)
    #expect(try await LocalShop.lines(remote.store, count: 10)["L5"] != nil)
    try await local.importFeed([(6, "")], mode: .delete)
    var deleting = options(remote)
    deleting.allowDeletes = true
    let deleted = try await push.push(deleting)
    #expect(deleted.deletions == 1)
    #expect(try await LocalShop.lines(remote.store, count: 10)["L6"] == nil)
  }

  @Test func anUnreachableRemoteOrARefusedTokenLeavesThePositionWhereItWas() async throws {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    let local = try await LocalShop(count: 5)
    let push = PushService(store: local.store)
    var nowhere = options(remote)
    nowhere.url = "http://127.0.0.1:1"
    await #expect(throws: PushError.self) { try await push.push(nowhere) }
    await #expect(
      throws: PushError.refused(
        url: options(remote).url, status: 401, detail: "missing, unknown, expired or revoked token")
    ) {
      try await push.push(options(remote, token: "mkt_tok_000000000000_00"))
    }
    // bolt's token cannot write acme's catalog: the remote answers 404, a rejection.
    do {
      _ = try await push.push(options(remote, token: remote.bolt))
      Issue.record("bolt's token pushed acme's catalog")
    } catch let error as PushError {
      #expect(error.exitStatus == .dataError)
    }
    #expect(try await push.status().allSatisfy { $0.position == 0 && $0.lastError != nil })
    #expect(try await LocalShop.lines(remote.store, count: 5).isEmpty)
    let done = try await push.push(options(remote))
    #expect(done.products == 5)
  }

  @Test func aRemoteAnsweringGarbageOrTooSlowlyIsUnreachableAndThePositionStays() async throws {
    let local = try await LocalShop(count: 3)
    let push = PushService(store: local.store)
    let garbage = Flag(true)
    let router = Router()
    router.post("/v1/products/hashes") { _, _ in
      await garbage.value ? "<html>a captive portal</html>" : #"{"hashes":{}}"#
    }
    router.put("/v1/catalog") { _, _ -> String in
      try await Task.sleep(for: .seconds(3))
      return "{}"
    }
    let (port, task) = try await serveOnFreePort(router, label: "garbage")
    defer { task.cancel() }
    var options = PushOptions(url: "http://127.0.0.1:\(port)", token: "mkt_tok_x_y")
    options.attempts = 2
    options.timeout = .milliseconds(500)
    for round in ["garbage", "too slow"] {
      do {
        _ = try await push.push(options)
        Issue.record("\(round): taken as an acknowledgement")
      } catch let error as PushError {
        #expect(error.exitStatus == .unavailable, "\(round): \(error)")
      }
      #expect(try await push.status().first?.position == 0)
      await garbage.set(false)
    }
  }
}

actor Flag {
  var value: Bool

  init(_ value: Bool) {
    self.value = value
  }

  func set(_ value: Bool) { self.value = value }
}

/// Rules and translations travel with a push, as products do.
@Suite(.serialized) struct PushRulesTests {
  static func rule(_ id: String, percent: Int, merchants: [String] = ["acme"]) -> String {
    let scope = merchants.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"id":"\#(id)","kind":"percentage_off","percent":"\#(percent)","priority":10,"#
      + #""scope":{"merchants":[\#(scope)]}}"#
  }

  func options(_ shop: ServedShop, token: String? = nil) -> PushOptions {
    var options = PushOptions(
      url: "http://127.0.0.1:\(shop.running.port)", token: token ?? shop.acme)
    options.merchant = "acme"
    options.attempts = 2
    return options
  }

  @Test func rulesAndTranslationsReachTheRemoteOnceWithConflictsAndDeletionsAsForProducts()
    async throws
  {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    let local = try await LocalShop(count: 3)
    let pricing = PricingService(store: local.store)
    _ = try await pricing.load(
      "[" + Self.rule("acme-ten", percent: 10) + "," + Self.rule("acme-five", percent: 5) + "]",
      file: "rules.json")
    let translations = try await CatalogService(store: local.store).importTranslations(
      bytes: Array(
        "id,language,field,text\nL1,fr,title,Chemise en lin\nL1,fr,description,Une chemise.\nL2,nl,title,Linnen hemd\n"
          .utf8),
      source: "t.csv", merchant: "acme", options: ImportOptions())
    #expect(translations.inserted == 2)
    let push = PushService(store: local.store)
    let first: PushReport
    do { first = try await push.push(options(remote)) } catch let error as PushError {
      Issue.record("\(error): \(error.details)")
      return
    }
    #expect(first.rules == 2 && first.translations == 2 && first.products == 3)
    let remotePricing = PricingService(store: remote.store)
    #expect(Set(try await remotePricing.rules().map(\.id)) == ["acme-ten", "acme-five"])
    let french = try await CatalogService(store: remote.store).translations(
      merchant: "acme", keys: [("L1", "fr"), ("L2", "nl")])
    #expect(french.map(\.title) == ["Chemise en lin", "Linnen hemd"])
    #expect(french.first?.description == "Une chemise.")
    // Rules travel in batches of --batch-size (at most 1,000 per request), each rule once.
    var small = options(remote)
    small.batchSize = 1
    _ = try await pricing.load(
      "[" + Self.rule("acme-ten", percent: 11) + "," + Self.rule("acme-five", percent: 4) + "]",
      file: "both.json")
    let batched = try await push.push(small)
    #expect(batched.rules == 2 && batched.batches == 2)
    // One rule changed here: one rule sent, nothing else.
    _ = try await pricing.load("[" + Self.rule("acme-ten", percent: 12) + "]", file: "r2.json")
    let second = try await push.push(options(remote))
    #expect(second.rules == 1 && second.products == 0 && second.translations == 0)
    #expect(try await remotePricing.rule("acme-ten").percent?.description == "12")
    // Changed on both sides: a conflict, kept until forced.
    let edit = try await remote.call(
      "PUT", "/v1/pricing/rules", token: remote.acme,
      body: Data(("[" + Self.rule("acme-five", percent: 7) + "]").utf8))
    #expect(edit.status == 200, "\(edit.text)")
    _ = try await pricing.load("[" + Self.rule("acme-five", percent: 6) + "]", file: "r3.json")
    do {
      _ = try await push.push(options(remote))
      Issue.record("a rule changed on the remote was overwritten")
    } catch let error as PushError {
      #expect(error.details == ["rule/acme-five: changed on the remote"])
    }
    #expect(try await remotePricing.rule("acme-five").percent?.description == "7")
    var forced = options(remote)
    forced.force = true
    #expect(try await push.push(forced).rules == 1)
    #expect(try await remotePricing.rule("acme-five").percent?.description == "6")
    // A removal is listed, not sent, without --allow-deletes.
    try await pricing.remove("acme-ten")
    #expect(try await push.push(options(remote)).skippedDeletions == ["rule/acme-ten"])
    // The skipped one stays skipped (as for products); the next removal, allowed, is sent.
    try await pricing.remove("acme-five")
    var deleting = options(remote)
    deleting.allowDeletes = true
    #expect(try await push.push(deleting).deletions == 1)
    let left = try await remotePricing.rules().map(\.id)
    #expect(left == ["acme-ten"])
  }

  @Test func aMerchantsTokenLoadsAndSeesOnlyItsOwnRulesAndTranslations() async throws {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    let acmeRule = Data(("[" + Self.rule("acme-ten", percent: 10) + "]").utf8)
    #expect(
      try await remote.call("PUT", "/v1/pricing/rules", token: remote.acme, body: acmeRule)
        .status == 200)
    // bolt cannot load a rule for acme, nor reuse acme's id, nor see or remove acme's rule.
    let foreign = try await remote.call(
      "PUT", "/v1/pricing/rules", token: remote.bolt, body: acmeRule)
    #expect(foreign.status == 403 && foreign.json["code"] as? Int == 77)
    let taken = try await remote.call(
      "PUT", "/v1/pricing/rules", token: remote.bolt,
      body: Data(("[" + Self.rule("acme-ten", percent: 1, merchants: ["bolt"]) + "]").utf8))
    #expect(taken.status == 422)
    let hashes = try await remote.call(
      "POST", "/v1/pricing/rules/hashes", token: remote.bolt,
      body: Data(#"{"ids":["acme-ten","nothing"]}"#.utf8))
    #expect((hashes.json["hashes"] as? [String: Any])?.isEmpty == true)
    let ownHashes = try await remote.call(
      "POST", "/v1/pricing/rules/hashes", token: remote.acme,
      body: Data(#"{"ids":["acme-ten"]}"#.utf8))
    #expect((ownHashes.json["hashes"] as? [String: Any])?.count == 1)
    let removeForeign = try await remote.call(
      "DELETE", "/v1/pricing/rules/acme-ten", token: remote.bolt)
    let removeMissing = try await remote.call(
      "DELETE", "/v1/pricing/rules/nothing", token: remote.bolt)
    #expect(removeForeign.status == 404 && removeMissing.status == 404)
    #expect(removeForeign.json["detail"] as? String != nil)
    #expect(try await PricingService(store: remote.store).rules().map(\.id) == ["acme-ten"])
    // Path parameters are percent-decoded.
    #expect(
      try await remote.call("DELETE", "/v1/pricing/rules/acme%2Dten", token: remote.acme).status
        == 200)
    // A rule of several merchants needs an operator token.
    let shared = Data(
      ("[" + Self.rule("both", percent: 3, merchants: ["acme", "bolt"]) + "]").utf8)
    #expect(
      try await remote.call("PUT", "/v1/pricing/rules", token: remote.acme, body: shared).status
        == 403)
    #expect(
      try await remote.call("PUT", "/v1/pricing/rules", token: remote.operatorToken, body: shared)
        .status == 200)
    // bolt's translation rows naming acme's products are rejected as missing products.
    let sneaky = try await remote.call(
      "PUT", "/v1/catalog/translations?max-errors=10", token: remote.bolt,
      body: Data(
        "id,language,field,text,merchant_id\nA1,fr,title,Volé,acme\nB1,fr,title,Veste,\n".utf8))
    #expect(sneaky.status == 200, "\(sneaky.text)")
    #expect(sneaky.json["rejected"] as? Int == 1 && sneaky.json["inserted"] as? Int == 1)
    #expect(
      try await CatalogService(store: remote.store).translations(
        merchant: "acme", keys: [("A1", "fr")]
      ).isEmpty)
  }

  @Test func rulesLoadedOverHTTPPriceTheNextOrderAndRulesLoadedBesideWithinASecond()
    async throws
  {
    let remote = try await ServedShop.start()
    defer { Task { try await remote.stop() } }
    func total(_ key: String) async throws -> Double {
      let answer = try await remote.call(
        "POST", "/v1/orders", token: remote.acme, body: try remote.order("A2"),
        headers: ["Idempotency-Key": key])
      #expect(answer.status == 201, "\(answer.text)")
      return Double(answer.json["total"] as? String ?? "") ?? -1
    }
    let full = try await total("r1")
    let half = Data(("[" + Self.rule("acme-half", percent: 50) + "]").utf8)
    #expect(
      try await remote.call("PUT", "/v1/pricing/rules", token: remote.acme, body: half).status
        == 200)
    #expect(try await total("r2") < full * 0.6)
    // A rule removed by another process (mkt pricing remove) stops applying within a second.
    try await PricingService(store: remote.store).remove("acme-half")
    try await Task.sleep(for: .milliseconds(1_100))
    #expect(try await total("r3") == full)
  }
}
