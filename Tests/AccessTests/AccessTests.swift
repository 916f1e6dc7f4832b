import Access
import Foundation
import GRDB
import MktCore
import Store
import Testing

@Suite struct DigestTests {
  @Test func sha256MatchesTheStandardVector() {
    #expect(
      Digest.hex(Digest.sha256(Array("abc".utf8)))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func hmacMatchesRFC4231TestCase2() {
    #expect(
      Digest.hex(
        Digest.hmacSHA256(
          key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func constantTimeEqualityComparesLengthAndBytes() {
    #expect(Digest.constantTimeEqual([1, 2, 3], [1, 2, 3]))
    #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2, 4]))
    #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2]))
  }
}

@Suite struct AccessServiceTests {
  func store() async throws -> Store {
    let store = try Store.inMemory()
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO merchant (id, name, country, currency, created_at, updated_at)
          VALUES ('acme', 'Acme', 'DE', 'EUR', '2026-01-01', '2026-01-01')
          """)
    }
    return store
  }

  @Test func aTokenAuthenticatesWithItsMerchantAndScopesAndOnlyItsHashIsStored() async throws {
    let store = try await store()
    let access = AccessService(store: store)
    let issued = try await access.create(
      merchant: "acme", scopes: [.ordersWrite, .catalogRead], name: "ci")
    let grant = try await access.authenticate(issued.bearer)
    #expect(grant.merchant == "acme")
    #expect(grant.scopes == [.ordersWrite, .ordersRead, .catalogRead])
    #expect(grant.owns("acme") && !grant.owns("bolt"))
    let secret = String(issued.bearer.split(separator: "_").last ?? "")
    let stored = try await store.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM api_token").map { $0.description }
    }
    #expect(stored.count == 1)
    #expect(!stored[0].contains(secret))
  }

  @Test(arguments: ["", "Bearer x", "mkt_tok_abc", "mkt_tok_000000000000_00", "mkt_x_y_z"])
  func malformedOrUnknownTokensAreRefusedAlike(_ bearer: String) async throws {
    let access = AccessService(store: try await store())
    await #expect(throws: AccessError.unauthenticated) {
      try await access.authenticate(bearer)
    }
  }

  @Test func aWrongSecretARevokedAndAnExpiredTokenAreRefused() async throws {
    let access = AccessService(store: try await store())
    let now = Date()
    let issued = try await access.create(merchant: nil, scopes: [.reportsRead], name: "ops")
    var tampered = issued.bearer
    tampered.removeLast()
    tampered += issued.bearer.hasSuffix("0") ? "1" : "0"
    await #expect(throws: AccessError.unauthenticated) { try await access.authenticate(tampered) }
    let expiring = try await access.create(
      merchant: "acme", scopes: [.catalogRead], name: "short",
      expires: now.addingTimeInterval(60), now: now)
    #expect(try await access.authenticate(expiring.bearer, now: now).merchant == "acme")
    await #expect(throws: AccessError.unauthenticated) {
      try await access.authenticate(expiring.bearer, now: now.addingTimeInterval(61))
    }
    let revoked = try await access.revoke(issued.token.id)
    #expect(revoked.revokedAt != nil)
    await #expect(throws: AccessError.unauthenticated) {
      try await access.authenticate(issued.bearer)
    }
    #expect(
      try await access.list().map(\.id).sorted() == [expiring.token.id, issued.token.id].sorted())
  }

  @Test func theStoresClockDecidesExpiryAndRevocationTimes() async throws {
    var store = try await store()
    let issuedAt = Date(timeIntervalSince1970: 1_900_000_000)
    store.clock = .fixed(issuedAt)
    let token = try await AccessService(store: store).create(
      merchant: "acme", scopes: [.catalogRead], name: "day",
      expires: issuedAt.addingTimeInterval(86_400))
    #expect(try await AccessService(store: store).authenticate(token.bearer).merchant == "acme")
    var later = store
    later.clock = .fixed(issuedAt.addingTimeInterval(86_401))
    await #expect(throws: AccessError.unauthenticated) {
      try await AccessService(store: later).authenticate(token.bearer)
    }
    let revoked = try await AccessService(store: later).revoke(token.token.id)
    #expect(revoked.revokedAt?.hasPrefix("2030-03-18T17:46:41") == true)
  }

  @Test func unknownMerchantsScopesAndTokensAreNamed() async throws {
    let access = AccessService(store: try await store())
    await #expect(throws: AccessError.unknownMerchant("bolt")) {
      try await access.create(merchant: "bolt", scopes: [.catalogRead], name: "x")
    }
    #expect(throws: AccessError.unknownScope("orders:delete")) {
      try Scope.parse("orders:read,orders:delete")
    }
    #expect(try Scope.parse("all") == Set(Scope.allCases))
    await #expect(throws: AccessError.unknownToken("tok_nope")) {
      try await access.revoke("tok_nope")
    }
  }
}
