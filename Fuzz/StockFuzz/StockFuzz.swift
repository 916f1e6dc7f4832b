import Foundation
// `StockFile` (Sources/Platform/Inventory/StockFile.swift) is internal to Inventory, and no
// public API parses a stock file without a database: reached through a testable import, which
// the debug build of RELIABILITY.md §1 allows (SwiftPM builds debug modules with testing on).
@testable import Inventory
import MktCore

/// Stock files (`mkt inventory sync`, CSV or JSON lines) through the reader and the row checks
/// made before the database sees a row: once as with `--merchant acme` (merchant mismatch),
/// once without (each row names its merchant), and the messages the command prints.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let runs: [(String?, StockMode)] = [("acme", .set), (nil, .delta)]
  for (merchant, mode) in runs {
    guard var file = try? StockFile(path: "fuzz.csv", merchant: merchant, mode: mode, bytes: bytes)
    else { continue }
    var total: Int64 = 0
    do {
      try file.read { row in
        total &+= row.quantity
        _ = row.updatedAt?.count
      }
    } catch {
      _ = "\(error)"
    }
    for issue in file.issues { _ = issue.description }
  }
  return 0
}
