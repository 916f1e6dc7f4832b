import Foundation
public import MktCore

/// One product as a feed states it, before validation: Merchant Center attributes by
/// ``Attribute``, custom attributes by name, and where in the feed it came from.
///
/// Values are the feed's text, decoded (entities, CDATA, CSV quoting) and trimmed of
/// surrounding white space; an empty value is an absent one. Structured values (`shipping`,
/// `tax`) are kept in Merchant Center's text form, `country:region:service:price`, whatever the
/// feed's format.
public struct ProductRecord: Sendable, Equatable {
  /// Where the record starts: file, line, and its 1-based item number.
  public var location: InputLocation
  /// The 1-based position of the item in the feed.
  public var item: Int
  /// Single values, indexed by `Attribute.rawValue`; `""` where absent.
  public private(set) var values: [String]
  /// All values of list attributes (and of any attribute the feed repeats), in feed order; a
  /// few entries at most, so an array searched in order beats a dictionary.
  public private(set) var lists: [AttributeValues] = []
  /// Attributes mkt does not know, by the feed's (normalised) name, never dropped.
  public var custom: [String: String] = [:]
  /// Problems found while reading the item (a ragged row, a repeated single attribute).
  public var readIssues: [RowIssue] = []
  /// Titles and descriptions in other languages the feed gives alongside (Magento's store view
  /// rows), stored as the product's translations.
  public var translations: [ProductTranslation] = []
  /// For delimited feeds, the 1-based column of each attribute by `Attribute.rawValue` (0: none);
  /// shared by all records of a feed.
  public var columns: [Int32] = []

  public init(location: InputLocation, item: Int) {
    self.location = location
    self.item = item
    values = Array(repeating: "", count: Attribute.allCases.count)
  }

  /// The first value of `attribute`, or `""`.
  public subscript(attribute: Attribute) -> String {
    get { values[attribute.rawValue] }
    set { values[attribute.rawValue] = newValue }
  }

  /// Empties the record for the next item at `location`, keeping its storage (a reader that
  /// refills one record per item allocates nothing per item).
  public mutating func reset(location: InputLocation, item: Int) {
    self.location = location
    self.item = item
    for index in values.indices where !values[index].isEmpty { values[index] = "" }
    if !lists.isEmpty { lists.removeAll(keepingCapacity: true) }
    if !custom.isEmpty { custom.removeAll(keepingCapacity: true) }
    if !readIssues.isEmpty { readIssues.removeAll() }
    if !translations.isEmpty { translations.removeAll() }
  }

  /// Every value of `attribute`: the list for list attributes, else the single value if any.
  public func all(_ attribute: Attribute) -> [String] {
    if let list = list(attribute) { return list }
    let value = values[attribute.rawValue]
    return value.isEmpty ? [] : [value]
  }

  /// Calls `body` with every value of `attribute`, without building an array.
  @inline(__always)
  public func forEach(_ attribute: Attribute, _ body: (String) throws -> Void) rethrows {
    if let list = list(attribute) {
      for value in list { try body(value) }
    } else {
      let value = values[attribute.rawValue]
      if !value.isEmpty { try body(value) }
    }
  }

  /// The list of values of `attribute`, if it has one.
  @inline(__always)
  public func list(_ attribute: Attribute) -> [String]? {
    for entry in lists where entry.attribute == attribute { return entry.values }
    return nil
  }

  /// Adds a value as read: list attributes collect, single ones keep the first and note repeats.
  public mutating func add(_ attribute: Attribute, _ value: consuming String) {
    guard !value.isEmpty else { return }
    if attribute.isList {
      appendToList(attribute, value, first: nil)
      if values[attribute.rawValue].isEmpty { values[attribute.rawValue] = value }
    } else if values[attribute.rawValue].isEmpty {
      values[attribute.rawValue] = value
    } else {
      appendToList(attribute, value, first: values[attribute.rawValue])
    }
  }

  private mutating func appendToList(_ attribute: Attribute, _ value: String, first: String?) {
    if let index = lists.firstIndex(where: { $0.attribute == attribute }) {
      lists[index].values.append(value)
    } else {
      lists.append(
        AttributeValues(attribute: attribute, values: (first.map { [$0] } ?? []) + [value]))
    }
  }

  /// Replaces every value of a list attribute.
  public mutating func setList(_ attribute: Attribute, _ items: [String]) {
    let items = items.filter { !$0.isEmpty }
    lists.removeAll { $0.attribute == attribute }
    if !items.isEmpty { lists.append(AttributeValues(attribute: attribute, values: items)) }
    values[attribute.rawValue] = items.first ?? ""
  }

  /// The column an attribute was read from, in a delimited feed.
  public func column(of attribute: Attribute) -> Int? {
    guard attribute.rawValue < columns.count, columns[attribute.rawValue] > 0 else { return nil }
    return Int(columns[attribute.rawValue])
  }

  /// The record's id, for messages.
  public var id: String { values[Attribute.id.rawValue] }

  /// Puts the id in Unicode's composed form (NFC); an ASCII id is left as it is, unread twice.
  mutating func composeID() {
    let id = values[Attribute.id.rawValue]
    guard !id.utf8.allSatisfy({ $0 < 0x80 }) else { return }
    values[Attribute.id.rawValue] = Self.composed(id)
  }

  /// `text` in Unicode's composed form (NFC), as ids are stored: look-ups by id (a SKU in a
  /// stock file, an order or on the command line) compose theirs the same way.
  public static func composed(_ text: String) -> String {
    text.utf8.allSatisfy({ $0 < 0x80 }) ? text : text.precomposedStringWithCanonicalMapping
  }
}

/// A product's title and description in one language.
public struct ProductTranslation: Sendable, Equatable {
  /// ISO 639-1, such as `de`.
  public var language: String
  public var title: String
  /// Plain text (a feed's HTML is reduced as descriptions are).
  public var description: String

  public init(language: String, title: String, description: String) {
    self.language = language
    self.title = title
    self.description = description
  }
}

/// The values of one repeated attribute.
public struct AttributeValues: Sendable, Equatable {
  public var attribute: Attribute
  public var values: [String]
}
