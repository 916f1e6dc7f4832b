import Importers

/// Shopify product exports: handle grouping, variants, old and new headers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let options = FeedOptions(format: .shopify, currency: "EUR", shopURL: "https://shop.example")
  guard
    let reader = try? FeedReader(
      source: ByteSource(bytes: bytes, name: "fuzz.csv"), options: options)
  else { return 0 }
  var validator = FeedValidator()
  while let record = try? reader.next() { _ = validator.validate(record) }
  return 0
}
