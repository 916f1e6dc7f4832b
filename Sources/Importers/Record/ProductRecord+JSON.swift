import Foundation
import MktCore

extension ProductRecord {
  /// Rebuilds a record from its canonical JSON line (``FeedNormalizer``'s output): the inverse
  /// of normalisation, for merging a feed row into what the catalog holds.
  public init?(canonicalJSON line: String) {
    guard let data = line.data(using: .utf8),
      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return nil }
    self.init(location: InputLocation(), item: 0)
    for (key, value) in object {
      if key == "custom", let custom = value as? [String: String] {
        self.custom = custom
        continue
      }
      guard let attribute = Attribute(name: key) else { continue }
      if let text = value as? String {
        self[attribute] = text
      } else if let texts = value as? [String] {
        setList(attribute, texts)
      } else if let groups = value as? [[String: String]] {
        setList(attribute, groups.map(attribute.joined))
      }
    }
  }

  /// A 64-bit hash of the record as read (every value, in order, and `seed`): equal for the
  /// same row of the same feed, so an import can tell "unchanged" before validating and
  /// normalising.
  public func sourceHash(seed: UInt64) -> Int64 {
    var hash = seed ^ 0x9E37_79B9_7F4A_7C15
    func mix(_ text: String) {
      var text = text
      hash = (hash ^ text.withUTF8(IDSet.hash)) &* 0x100_0000_01B3
    }
    for value in values { mix(value) }
    for entry in lists {
      mix(entry.attribute.name)
      for value in entry.values { mix(value) }
    }
    for (key, value) in custom.sorted(by: { $0.key < $1.key }) {
      mix(key)
      mix(value)
    }
    return Int64(bitPattern: hash)
  }

  /// One bit per attribute present (bit `Attribute.rawValue`), bit 63 for custom attributes.
  public var attributeMask: Int64 {
    var mask: Int64 = 0
    for (index, value) in values.enumerated() where !value.isEmpty { mask |= 1 << Int64(index) }
    if !custom.isEmpty { mask |= 1 << 63 }
    return mask
  }

  /// Removes the attributes whose value is `__EMPTY__` and returns their mask: the import
  /// contract's way to clear a stored value.
  public mutating func takeClearMarkers() -> Int64 {
    var mask: Int64 = 0
    for attribute in Attribute.allCases where self[attribute] == EmptyCellPolicy.clearMarker {
      self[attribute] = ""
      mask |= 1 << Int64(attribute.rawValue)
    }
    for entry in lists where entry.values.contains(EmptyCellPolicy.clearMarker) {
      setList(entry.attribute, [])
      mask |= 1 << Int64(entry.attribute.rawValue)
    }
    for (key, value) in custom where value == EmptyCellPolicy.clearMarker {
      custom[key] = nil
    }
    return mask
  }

  /// Fills every attribute this record lacks (and has not cleared) from `stored`.
  public mutating func keepMissing(from stored: ProductRecord, cleared: Int64) {
    for attribute in Attribute.allCases
    where self[attribute].isEmpty && cleared & (1 << Int64(attribute.rawValue)) == 0 {
      let values = stored.all(attribute)
      if attribute.isList || values.count > 1 {
        setList(attribute, values)
      } else if let value = values.first {
        self[attribute] = value
      }
    }
    for (key, value) in stored.custom where custom[key] == nil { custom[key] = value }
  }
}
