import Importers

/// Merchant Center CSV/TSV: tokenizer, header mapping, validation and normalisation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  for options in [FeedOptions(format: .csv), FeedOptions(format: .tsv, encoding: .windows1252)] {
    guard
      let reader = try? FeedReader(
        source: ByteSource(bytes: bytes, name: "fuzz.csv"), options: options)
    else { continue }
    var validator = FeedValidator()
    let normalizer = FeedNormalizer()
    while let record = try? reader.next() {
      _ = validator.validate(record)
      _ = normalizer.line(for: record)
    }
  }
  return 0
}
