import GRDB
import MktCore
import Search
public import Store

/// Adds, lists, shows, removes and bulk-imports merchants.
public struct MerchantService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// Validates the fields as given on a command line and builds a merchant.
  ///
  /// - Throws: ``MerchantError/invalidField(_:)`` naming the field and the valid values.
  public static func merchant(
    id: String, name: String, country: String, currency: String?, prices: String?,
    domain: String?
  ) throws(MerchantError) -> Merchant {
    let here = InputLocation(id: id)
    do throws(RowIssue) {
      let country = try MerchantFields.country(country, at: here).get()
      var merchant = Merchant(
        id: try MerchantFields.id(id, at: here).get(),
        name: try MerchantFields.name(name, at: here).get(),
        country: country)
      if let currency { merchant.currency = try MerchantFields.currency(currency, at: here).get() }
      if let prices { merchant.priceBasis = try MerchantFields.priceBasis(prices, at: here).get() }
      if let domain { merchant.domain = try MerchantFields.domain(domain, at: here).get() }
      return merchant
    } catch {
      throw .invalidField(error)
    }
  }

  /// Adds a merchant.
  ///
  /// - Throws: ``MerchantError/alreadyExists(id:)`` if the id is taken.
  public func add(_ merchant: Merchant) async throws -> Merchant {
    try await store.write { db in
      if try Merchant.fetch(db, id: merchant.id) != nil {
        throw MerchantError.alreadyExists(id: merchant.id)
      }
      try Merchant.insert(merchant, db)
      guard let stored = try Merchant.fetch(db, id: merchant.id) else {
        throw MerchantError.notFound(id: merchant.id)
      }
      return stored
    }
  }

  /// All merchants, ordered by id.
  public func list() async throws -> [Merchant] {
    try await store.read { db in try Merchant.fetchAll(db) }
  }

  /// The merchant with this id.
  ///
  /// - Throws: ``MerchantError/notFound(id:)``.
  public func merchant(id: String) async throws -> Merchant {
    try await store.read { db in
      guard let merchant = try Merchant.fetch(db, id: id) else {
        throw MerchantError.notFound(id: id)
      }
      return merchant
    }
  }

  /// Removes a merchant and, through foreign keys, every row it owns.
  ///
  /// - Returns: the merchant as it was.
  /// - Throws: ``MerchantError/notFound(id:)``.
  public func remove(id: String) async throws -> Merchant {
    let merchant = try await store.write { db in
      guard let merchant = try Merchant.fetch(db, id: id) else {
        throw MerchantError.notFound(id: id)
      }
      try Merchant.checkRemovable([id], db)
      try Merchant.delete(id: id, db)
      return merchant
    }
    // Its products went with it: search's saved columns follow, as after an import.
    try await SearchService(store: store).prepare()
    return merchant
  }

  /// How many merchants there are.
  public func count() async throws -> Int {
    try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM merchant") ?? 0 }
  }
}
