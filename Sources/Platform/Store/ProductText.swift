package import GRDB

/// A product's title and description in the first language of a fallback chain that has them:
/// the product's own (its latest feed's language) or a translation (`product_translation`).
package enum ProductText {
  package struct Localized: Sendable, Equatable {
    package var title: String
    package var description: String
    /// The language of the title chosen.
    package var language: String?
    /// Whether the title and the description come from `product_translation` rather than the
    /// product's own feed.
    package var titleTranslated = false
    package var descriptionTranslated = false
  }

  /// The text of each of `docs` along `chain` (`["nl", "fr", "en"]`); title and description
  /// fall back independently, and to the product's own text when no language of the chain has
  /// them.
  package static func localized(_ db: Database, docs: [Int64], chain: [String]) throws
    -> [Int64: Localized]
  {
    guard !docs.isEmpty else { return [:] }
    var result: [Int64: Localized] = [:]
    var own: [Int64: (language: String?, title: String, description: String)] = [:]
    for row in try Row.fetchAll(
      db,
      sql: "SELECT doc, language, title, description FROM product WHERE doc IN ("
        + docs.map { _ in "?" }.joined(separator: ",") + ")", arguments: StatementArguments(docs))
    {
      own[row["doc"]] = (row["language"], row["title"], row["description"])
    }
    var translated: [Int64: [String: (title: String, description: String)]] = [:]
    if !chain.isEmpty {
      for row in try Row.fetchAll(
        db,
        sql: "SELECT doc, language, title, description FROM product_translation WHERE doc IN ("
          + docs.map { _ in "?" }.joined(separator: ",") + ") AND language IN ("
          + chain.map { _ in "?" }.joined(separator: ",") + ")",
        arguments: StatementArguments(docs) + StatementArguments(chain))
      {
        translated[row["doc"], default: [:]][row["language"]] = (
          row["title"], row["description"]
        )
      }
    }
    for doc in docs {
      guard let product = own[doc] else { continue }
      var title: (String, String?, Bool)?
      var description: (String, Bool)?
      for language in chain {
        let text: (title: String, description: String)? =
          product.language == language
          ? (product.title, product.description) : translated[doc]?[language]
        guard let text else { continue }
        let isOwn = product.language == language
        if title == nil, !text.title.isEmpty { title = (text.title, language, !isOwn) }
        if description == nil, !text.description.isEmpty {
          description = (text.description, !isOwn)
        }
        if title != nil, description != nil { break }
      }
      result[doc] = Localized(
        title: title?.0 ?? product.title, description: description?.0 ?? product.description,
        language: title?.1 ?? product.language, titleTranslated: title?.2 ?? false,
        descriptionTranslated: description?.1 ?? false)
    }
    return result
  }
}
