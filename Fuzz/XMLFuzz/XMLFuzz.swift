import Importers

/// Merchant Center XML (RSS and Atom) through libxml2's reader, validation and normalisation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard
    let reader = try? FeedReader(
      source: ByteSource(bytes: bytes, name: "fuzz.xml"), options: FeedOptions(format: .xml))
  else { return 0 }
  var validator = FeedValidator()
  let normalizer = FeedNormalizer()
  while let record = try? reader.next() {
    _ = validator.validate(record)
    _ = normalizer.line(for: record)
  }
  return 0
}
