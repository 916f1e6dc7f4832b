import Foundation
import MktCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `Descriptor.writeAll` delivers every byte through short writes, and names the failure.
struct DescriptorTests {
  @Test func aMegabyteThroughAPipeArrivesWhole() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let (reading, writing) = (ends[0], ends[1])
    // A pipe holds 64 KiB: the writes come back short until the reader drains it.
    let sent = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let result = Locked<[UInt8]?>(nil)
    let reader = Thread {
      var received: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        received += buffer[..<count]
      }
      close(reading)
      result.withLock { $0 = received }
    }
    reader.start()
    let failure = sent.withUnsafeBytes { Descriptor.writeAll(writing, $0) }
    close(writing)
    #expect(failure == 0)
    for _ in 0..<500 where result.withLock({ $0 == nil }) {
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(result.withLock { $0 } == sent)
  }

  @Test func aClosedDescriptorIsItsErrno() {
    let bytes: [UInt8] = [1, 2, 3]
    #expect(bytes.withUnsafeBytes { Descriptor.writeAll(-1, $0) } == EBADF)
  }
}

/// A value behind a lock, for the reader thread's result.
private final class Locked<Value>: @unchecked Sendable {
  // SAFETY: `value` is only touched under `lock`.
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<T>(_ body: (inout Value) -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}
