import Importers

/// Price, GTIN and date/URL parsing of single values, as a feed's cells reach them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = FeedPrice.parse(text)
  _ = FeedPrice.parse(text, decimalComma: true).map(\.text)
  _ = GTIN.problem(text)
  var record = ProductRecord(location: .init(file: "fuzz"), item: 1)
  for attribute in [Attribute.salePriceEffectiveDate, .availabilityDate, .link, .shipping, .gtin] {
    record[attribute] = text
  }
  var validator = FeedValidator()
  _ = validator.validate(record)
  _ = FeedNormalizer().line(for: record)
  return 0
}
