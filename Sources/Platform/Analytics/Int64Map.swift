/// A hash map from well-mixed 64-bit keys (hashes already) to values: open addressing with
/// linear probing, the key's own bits as its hash.
///
/// Ingest keeps millions of event keys, sessions and users this way; Swift's `Dictionary` would
/// hash each key again with a seeded SipHash (a fifth of ingest's time in a profile).
struct Int64Map<Value> {
  private var keys: [Int64]
  private var values: [Value?]
  private var occupied: [Bool]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    keys = Array(repeating: 0, count: size)
    values = Array(repeating: nil, count: size)
    occupied = Array(repeating: false, count: size)
    mask = size - 1
  }

  @inline(__always)
  private func slot(_ key: Int64) -> Int {
    // Hashes of texts are well mixed; fold the high bits in for keys that are not.
    let bits = UInt64(bitPattern: key)
    return Int(truncatingIfNeeded: ((bits ^ (bits >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }

  subscript(key: Int64) -> Value? {
    get {
      var index = slot(key)
      while occupied[index] {
        if keys[index] == key { return values[index] }
        index = (index + 1) & mask
      }
      return nil
    }
    set {
      guard let newValue else {
        preconditionFailure("Int64Map does not remove keys")
      }
      var index = slot(key)
      while occupied[index] {
        if keys[index] == key {
          values[index] = newValue
          return
        }
        index = (index + 1) & mask
      }
      occupied[index] = true
      keys[index] = key
      values[index] = newValue
      count += 1
      if count * 2 > keys.count { grow() }
    }
  }

  /// Inserts `key` with `value` if absent; `true` if it was.
  @discardableResult
  mutating func insert(_ key: Int64, _ value: Value) -> Bool {
    if self[key] != nil { return false }
    self[key] = value
    return true
  }

  private mutating func grow() {
    let old = (keys, values, occupied)
    let size = keys.count * 2
    keys = Array(repeating: 0, count: size)
    values = Array(repeating: nil, count: size)
    occupied = Array(repeating: false, count: size)
    mask = size - 1
    count = 0
    for index in old.0.indices where old.2[index] {
      if let value = old.1[index] { self[old.0[index]] = value }
    }
  }

  /// Calls `body` with every entry, in no order.
  func each(_ body: (Int64, Value) throws -> Void) rethrows {
    for index in keys.indices where occupied[index] {
      if let value = values[index] { try body(keys[index], value) }
    }
  }
}
