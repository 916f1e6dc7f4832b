import Foundation

/// A HyperLogLog sketch of distinct 64-bit hashes.
///
/// 2^14 one-byte registers (16 KiB), a standard error of 1.04 / √16384 ≈ 0.81 %, mergeable by
/// taking each register's maximum — so a range of days' visitors is the merge of the days'
/// sketches (Flajolet and others, 2007, with linear counting below 2.5 × m as Heule and others,
/// 2013, do).
struct HyperLogLog: Equatable {
  static let precision = 14
  static let count = 1 << precision
  private(set) var registers: [UInt8]

  init() { registers = Array(repeating: 0, count: Self.count) }

  /// A sketch from stored registers; `nil` if they are not a sketch's.
  init?(registers: [UInt8]) {
    guard registers.count == Self.count else { return nil }
    self.registers = registers
  }

  /// Adds a well-mixed 64-bit hash.
  mutating func add(_ hash: Int64) {
    let bits = UInt64(bitPattern: hash)
    let index = Int(bits >> UInt64(64 - Self.precision))
    let rest = bits << UInt64(Self.precision)
    let rank = UInt8(min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
    if rank > registers[index] { registers[index] = rank }
  }

  /// Adds every hash `other` saw.
  mutating func merge(_ other: HyperLogLog) {
    for index in 0..<Self.count where other.registers[index] > registers[index] {
      registers[index] = other.registers[index]
    }
  }

  /// The estimated number of distinct hashes added.
  var estimate: Int {
    let m = Double(Self.count)
    var sum = 0.0
    var zeros = 0
    for register in registers {
      sum += 1 / Double(UInt64(1) << UInt64(register))
      if register == 0 { zeros += 1 }
    }
    let alpha = 0.7213 / (1 + 1.079 / m)
    let raw = alpha * m * m / sum
    if raw <= 2.5 * m && zeros > 0 { return Int((m * log(m / Double(zeros))).rounded()) }
    return Int(raw.rounded())
  }
}
