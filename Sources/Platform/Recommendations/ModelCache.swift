import Foundation
import GRDB
import Store

/// The stored model's shared part (every product's category and brand, the categories, the
/// popular, trending and seasonal heads), read once per trained model and kept for the
/// service's life.
///
/// Each query reads the stored model's `id` (a few bytes) and reads the shared part again only
/// when a training replaced it, so a long-lived process (`mkt serve`, a benchmark) answers from
/// memory and never from a model trained over. A model stored without an `id` is read every
/// time.
final class ModelCache: @unchecked Sendable {
  // SAFETY: `held` is read and written under `lock` alone (NSLock, not Mutex: TSan reports
  // false races on Mutex on Linux, RELIABILITY.md §2).
  private let lock = NSLock()
  private var held: (id: Data, model: Model)?

  /// The shared part of the stored model; `nil` when none is stored.
  ///
  /// - Throws: ``RecommendationError/staleModel`` for a model of another layout.
  func shared(_ db: Database) throws -> Model? {
    // The layout is part of the key: a model of another layout is refused, never served.
    var key = Data()
    var trained = false
    for row in try Row.fetchAll(
      db.cachedStatement(
        sql: "SELECT name, value FROM recs_model WHERE name IN ('format', 'id') ORDER BY name"))
    {
      let (name, value): (String, Data) = (row["name"], row["value"])
      trained = trained || name == "id"
      key.append(value)
      key.append(0)
    }
    if trained, let model = lock.withLock({ held?.id == key ? held?.model : nil }) {
      return model
    }
    guard let model = try Model.shared(db) else { return nil }
    if trained { lock.withLock { held = (key, model) } }
    return model
  }

  /// The shared part with what one user needs: their profile (`nil` for a user the model does
  /// not know) and the neighbour lists of the products in it.
  func slice(_ db: Database, user: Int64) throws -> (Model, Model.Profile?)? {
    guard var model = try shared(db) else { return nil }
    guard
      let data = try Data.fetchOne(
        db.cachedStatement(sql: "SELECT profile FROM recs_user WHERE user = ?"), arguments: [user])
    else { return (model, nil) }
    let profile = Model.unpack(data).aged(to: model.end, TrainingSettings())
    let items = Set(profile.recent.map(\.item) + profile.baskets.map(\.item))
    model.similar.index = [:]
    model.complements.index = [:]
    try SQLInList.chunks(items.sorted()) { marks, arguments in
      for row in try Row.fetchAll(
        db.cachedStatement(
          sql: "SELECT item, similar, complements FROM recs_item WHERE item IN (\(marks))"),
        arguments: arguments)
      {
        let item: Int32 = row["item"]
        var similar = Unpacker(row["similar"])
        model.similar.add(item, similar.head())
        var complements = Unpacker(row["complements"])
        model.complements.add(item, complements.head())
      }
    }
    return (model, profile)
  }
}

extension Model {
  /// Reads the stored model's shared part, without neighbour lists or profiles; `nil` when no
  /// model is stored.
  ///
  /// - Throws: ``RecommendationError/staleModel`` for a model of another layout.
  static func shared(_ db: Database) throws -> Model? {
    var parts: [String: Data] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT name, value FROM recs_model WHERE name NOT IN ('meta', 'weights', 'state')")
    {
      parts[row["name"]] = row["value"]
    }
    guard let end = parts["end"] else { return nil }
    guard parts["format"].map({ String(decoding: $0, as: UTF8.self) }) == Self.format,
      let categories = try? JSONDecoder().decode(
        [CategoryFacts].self, from: parts["categories"] ?? Data())
    else { throw RecommendationError.staleModel }
    func int32s(_ name: String) -> [Int32] { Self.int32s(parts[name]) }
    var heads = Unpacker(parts["heads"] ?? Data())
    let popular = heads.head()
    let trending = heads.head()
    let seasonal = heads.head()
    let categoryHeads = (0..<heads.count(width: 4)).map { _ in heads.head() }
    var endReader = Unpacker(end)
    return Model(
      category: int32s("category"), brand: int32s("brand"),
      categories: categories, bestsellers: Set(int32s("bestsellers")),
      popular: popular, trending: trending, seasonal: seasonal, categoryHeads: categoryHeads,
      similar: Lists(), complements: Lists(),
      userIndex: [:], profiles: [], end: endReader.get())
  }
}
