import Importers

/// ECB reference-rate XML (`mkt currency import`) through the hardened libxml2 reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let file = try? ECBRateFile(bytes: bytes, file: "fuzz.xml") {
    _ = file.days
    for rate in file.rates { _ = rate.rate.units(digits: 6) }
  }
  return 0
}
