import Foundation

/// An array of plain values, held in memory or read straight from a file mapped into memory.
///
/// A new process searching a million products reads 36 MB of per-product values: mapped, the
/// pages it touches come from the page cache as they are touched, where a copy into memory cost
/// most of a fresh process's search. A mapped array is read-only: the first change copies it
/// into memory.
struct PlainArray<Element: BitwiseCopyable>: RandomAccessCollection, MutableCollection,
  RangeReplaceableCollection
{
  private var owned: [Element]
  private var mapped: (file: MappedFile, offset: Int, count: Int)?

  init() { owned = [] }

  init(_ values: [Element]) { owned = values }

  /// `count` values at byte `offset` of `file` (a multiple of the values' alignment).
  init(mapping file: MappedFile, offset: Int, count: Int) {
    precondition(offset >= 0 && count >= 0)
    precondition(offset + count * MemoryLayout<Element>.stride <= file.size)
    precondition(offset % MemoryLayout<Element>.alignment == 0)
    owned = []
    mapped = (file, offset, count)
  }

  /// Whether the values are read from a mapped file.
  var isMapped: Bool { mapped != nil }

  var startIndex: Int { 0 }
  var endIndex: Int { mapped?.count ?? owned.count }

  subscript(index: Int) -> Element {
    @inline(__always) get {
      guard let mapped else { return owned[index] }
      precondition(index >= 0 && index < mapped.count, "index out of range")
      return mapped.file.bytes.load(
        fromByteOffset: mapped.offset + index * MemoryLayout<Element>.stride, as: Element.self)
    }
    set {
      materialize()
      owned[index] = newValue
    }
  }

  mutating func replaceSubrange<C: Collection>(_ range: Range<Int>, with values: C)
  where C.Element == Element {
    materialize()
    owned.replaceSubrange(range, with: values)
  }

  mutating func reserveCapacity(_ capacity: Int) {
    materialize()
    owned.reserveCapacity(capacity)
  }

  /// The values, in order, for loops that read many of them.
  func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows
    -> R
  {
    guard let mapped else { return try owned.withUnsafeBufferPointer(body) }
    // The mapping is only ever read as values of this type (see `init(mapping:offset:count:)`).
    let start = (mapped.file.bytes + mapped.offset).bindMemory(
      to: Element.self, capacity: mapped.count)
    return try body(UnsafeBufferPointer(start: start, count: mapped.count))
  }

  /// The values' bytes, in order.
  func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
  }

  private mutating func materialize() {
    guard mapped != nil else { return }
    owned = Array(self)
    mapped = nil
  }
}

extension PlainArray: Equatable where Element: Equatable {
  static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
}

extension PlainArray: @unchecked Sendable where Element: Sendable {}
// SAFETY: a mapped array only reads its file, which no one writes in place (see MappedFile).

/// A whole file mapped read-only into memory, unmapped when the last array reading it goes.
///
/// Files mapped here are only ever replaced by renaming a new one over them, never written in
/// place or truncated: a mapping keeps the file it was made of, whatever happens to its name.
final class MappedFile: @unchecked Sendable {
  // SAFETY: immutable after init; the mapping is read-only.
  let bytes: UnsafeRawPointer
  let size: Int

  /// The file at `path` mapped, or `nil` when it cannot be opened, is empty, or mapping fails.
  init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
    let size = Int(status.st_size)
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else { return nil }
    self.bytes = UnsafeRawPointer(address)
    self.size = size
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), size) }
}
