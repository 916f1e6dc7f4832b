import ArgumentParser
import Importers

/// How to read a feed: the flags `feed check`, `normalize` and `convert` (and `import`) share.
struct FeedReadOptions: ParsableArguments {
  @Option(
    help:
      ArgumentHelp(
        "The feed's format: csv, tsv, xml, shopify, woocommerce or magento (default: sniffed "
          + "from its content).")
  )
  var format: String?

  @Option(
    help: ArgumentHelp("The CSV delimiter: , ; | or tab (default: sniffed).", valueName: "char"))
  var delimiter: String?

  @Option(help: "The character encoding of a CSV or TSV feed: utf-8, latin1 or windows-1252.")
  var encoding = "utf-8"

  @Option(
    help: ArgumentHelp(
      "Rename a column before reading it, e.g. --map \"Artikelnummer=id\" (repeatable).",
      valueName: "column=attribute"))
  var map: [String] = []

  @Flag(help: "Accept a comma as the decimal separator in prices (15,00 EUR).")
  var decimalComma = false

  @Option(help: "The merchant for items that name none.") var merchant: String?
  @Option(help: "The language of the feed (ISO 639-1, such as de).") var language: String?
  @Option(
    help: "The currency of prices written without one (Shopify, WooCommerce, Magento, PIM exports)."
  )
  var currency: String?
  @Option(
    help: "The shop's address, for the product links (and Magento's image paths) an export lacks.")
  var shopURL: String?
  @Flag(
    help: ArgumentHelp(
      "Shopify, WooCommerce and Magento exports: read draft, archived, unpublished and disabled "
        + "products too (skipped by default)."))
  var includeDrafts = false
  @Option(
    help: ArgumentHelp(
      "The availability of items whose feed gives none (Shopify exports without an inventory "
        + "quantity, PIM exports): in_stock, out_of_stock, preorder or backorder.",
      valueName: "value"))
  var availability: String?

  func validate() throws {
    if let format, FeedFormat(rawValue: format) == nil {
      throw ValidationError(
        "--format must be csv, tsv, xml, shopify, woocommerce or magento, not '\(format)'")
    }
    if TextEncoding(rawValue: encoding) == nil {
      throw ValidationError("--encoding must be utf-8, latin1 or windows-1252, not '\(encoding)'")
    }
    if let delimiter, delimiterByte(delimiter) == nil {
      throw ValidationError("--delimiter must be one of , ; | or tab (or \\t)")
    }
    let availabilities = ["in_stock", "out_of_stock", "preorder", "backorder"]
    if let availability, !availabilities.contains(availability) {
      throw ValidationError(
        "--availability must be \(availabilities.joined(separator: ", ")), not '\(availability)'")
    }
    for pair in map where pair.split(separator: "=", maxSplits: 1).count != 2 {
      throw ValidationError("--map takes column=attribute, such as --map \"Artikelnummer=id\"")
    }
  }

  var options: FeedOptions {
    var mapping: [String: String] = [:]
    for pair in map {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2 { mapping[CSVHeader.normalize(parts[0])] = parts[1] }
    }
    var options = FeedOptions(
      format: format.flatMap(FeedFormat.init(rawValue:)),
      delimiter: delimiter.flatMap(delimiterByte),
      encoding: TextEncoding(rawValue: encoding) ?? .utf8,
      mapping: mapping, decimalComma: decimalComma, merchant: merchant, language: language,
      currency: currency?.uppercased(), shopURL: shopURL)
    options.includeDrafts = includeDrafts
    options.availability = availability
    return options
  }

  private func delimiterByte(_ text: String) -> UInt8? {
    switch text {
    case ",": UInt8(ascii: ",")
    case ";": UInt8(ascii: ";")
    case "|": UInt8(ascii: "|")
    case "\t", "\\t", "tab": 9
    default: nil
    }
  }
}
