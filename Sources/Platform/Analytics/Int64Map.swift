/// A key ``FastMap`` can hash without Swift's seeded SipHash: 64 well-mixed bits of its own.
protocol FastKey: Equatable {
  var fastHash: UInt64 { get }
}

extension Int64: FastKey {
  /// Hashes of texts are well mixed already; the fold serves the keys that are not.
  @inline(__always)
  var fastHash: UInt64 {
    let bits = UInt64(bitPattern: self)
    return (bits ^ (bits >> 29)) &* 0x9E37_79B9_7F4A_7C15
  }
}

/// Mixes a few integers into 64 bits (for composite ``FastKey``s).
@inline(__always)
func fastMix(_ a: Int64, _ b: Int64, _ c: Int64 = 0) -> UInt64 {
  var hash = UInt64(bitPattern: a) &* 0x9E37_79B9_7F4A_7C15
  hash = (hash ^ UInt64(bitPattern: b) ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
  hash = (hash ^ UInt64(bitPattern: c) ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
  return hash ^ (hash >> 32)
}

/// A hash map of ``FastKey``s: open addressing with linear probing, values updated in place.
///
/// Ingest keeps millions of event keys, sessions and users, and its rollups, this way; Swift's
/// `Dictionary` would hash each key again with a seeded SipHash (a fifth of ingest's time in a
/// profile).
struct FastMap<Key: FastKey, Value> {
  private var keys: [Key?]
  private var values: [Value?]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    keys = Array(repeating: nil, count: size)
    values = Array(repeating: nil, count: size)
    mask = size - 1
  }

  @inline(__always)
  private func slot(_ key: Key) -> Int {
    Int(truncatingIfNeeded: key.fastHash >> 32) & mask
  }

  /// The slot of `key`, or of the empty place it would go to.
  @inline(__always)
  private func find(_ key: Key) -> (Int, found: Bool) {
    var index = slot(key)
    while let stored = keys[index] {
      if stored == key { return (index, true) }
      index = (index + 1) & mask
    }
    return (index, false)
  }

  subscript(key: Key) -> Value? {
    get {
      let (index, found) = find(key)
      return found ? values[index] : nil
    }
    set {
      guard let newValue else { preconditionFailure("FastMap does not remove keys") }
      let (index, found) = find(key)
      values[index] = newValue
      if !found { occupy(index, key) }
    }
  }

  /// Runs `body` on the value of `key` in place, inserting `initial` first if absent.
  @inline(__always)
  mutating func modify(
    _ key: Key, default initial: @autoclosure () -> Value, _ body: (inout Value) -> Void
  ) {
    var (index, found) = find(key)
    if !found {
      values[index] = initial()
      occupy(index, key)
      (index, found) = find(key)
    }
    // Moved out and back: a value that owns storage (a sketch's registers) is not copied.
    guard var value = values[index].take() else { preconditionFailure("FastMap lost a value") }
    body(&value)
    values[index] = value
  }

  /// Inserts `key` with `value` if absent; `true` if it was.
  @discardableResult
  mutating func insert(_ key: Key, _ value: Value) -> Bool {
    let (index, found) = find(key)
    guard !found else { return false }
    values[index] = value
    occupy(index, key)
    return true
  }

  private mutating func occupy(_ index: Int, _ key: Key) {
    keys[index] = key
    count += 1
    if count * 2 > keys.count { grow() }
  }

  private mutating func grow() {
    let (oldKeys, oldValues) = (keys, values)
    let size = keys.count * 2
    keys = Array(repeating: nil, count: size)
    values = Array(repeating: nil, count: size)
    mask = size - 1
    count = 0
    for index in oldKeys.indices {
      if let key = oldKeys[index], let value = oldValues[index] { self[key] = value }
    }
  }

  /// Calls `body` with every entry, in no order.
  func each(_ body: (Key, Value) throws -> Void) rethrows {
    for index in keys.indices {
      if let key = keys[index], let value = values[index] { try body(key, value) }
    }
  }

  /// Forgets every entry, keeping the storage.
  mutating func removeAll() {
    guard count > 0 else { return }
    for index in keys.indices where keys[index] != nil {
      keys[index] = nil
      values[index] = nil
    }
    count = 0
  }
}

/// The map of event keys, sessions and users: 64-bit hashes to values.
typealias Int64Map<Value> = FastMap<Int64, Value>
