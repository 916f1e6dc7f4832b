/// The `capacity` smallest (key, doc) pairs offered, in order.
///
/// A page of search results, the top rows of a report. Ties go to the smaller doc.
package struct TopK {
  package let capacity: Int
  package private(set) var items: [(key: Double, doc: Int64)] = []

  package init(capacity: Int) {
    self.capacity = max(0, capacity)
    items.reserveCapacity(min(self.capacity, 1 << 12) + 1)
  }

  package mutating func offer(_ key: Double, _ doc: Int64) {
    if items.count == capacity, let last = items.last, (key, doc) >= (last.key, last.doc) {
      return
    }
    var (low, high) = (0, items.count)
    while low < high {
      let middle = (low + high) / 2
      if (items[middle].key, items[middle].doc) < (key, doc) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    items.insert((key, doc), at: low)
    if items.count > capacity { items.removeLast() }
  }
}
