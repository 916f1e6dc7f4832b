import Importers

/// Product ratings feeds (`mkt ratings import`): Merchant Center review XML through the
/// hardened libxml2 reader, or the CSV.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let file = try? ProductRatingsFile(bytes: bytes, file: "fuzz") {
    for review in file.reviews { precondition((0...5).contains(review.rating)) }
    _ = file.issues.map(\.description)
  }
  return 0
}
