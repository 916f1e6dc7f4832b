import Importers
import MktCore

/// The stock exports merchants already have, read as stock files (issue 15, item 3).
///
/// - **Shopify's inventory export** (`Handle, Title, Option1 Name, …, SKU, HS Code, COO,
///   Location, …, Available (not editable), On hand (current), On hand (new)`): one row per
///   variant and location. `On hand (new)` is applied when filled in (the column a merchant edits
///   to change stock), else `On hand (current)`; `Available` is not used, since mkt keeps its own
///   reservations. The location is the warehouse: through `--location-map "MAIN STORE=BER1"`, or
///   a warehouse whose id or name is the location's name.
/// - **Magento MSI source items** (`source_code, sku, status, quantity`): the source is the
///   warehouse; quantities such as `12.0000` are read as whole numbers, `2.5` is a row error.
///
/// Both set absolute levels.
struct PlatformStockLayout {
  enum Platform { case shopify, magento }
  let platform: Platform
  let sku: Int
  let location: Int
  let quantities: [Int]

  init?(_ header: CSVHeader) {
    if let sku = header.index(of: "sku"), let location = header.index(of: "location"),
      header.index(of: "handle") != nil
    {
      let quantities = ["on_hand_(new)", "on_hand_(current)"].compactMap(header.index(of:))
      guard !quantities.isEmpty else { return nil }
      (platform, self.sku, self.location, self.quantities) = (.shopify, sku, location, quantities)
    } else if let sku = header.index(of: "sku"), let source = header.index(of: "source_code"),
      let quantity = header.index(of: "quantity")
    {
      (platform, self.sku, location, quantities) = (.magento, sku, source, [quantity])
    } else {
      return nil
    }
  }
}

extension StockFile {
  /// Reads a Shopify or Magento stock export's rows as absolute levels.
  mutating func readPlatform(
    _ layout: PlatformStockLayout, reader: CSVReader, header: CSVHeader,
    _ body: (StockRow) throws -> Void
  ) throws {
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      func cell(_ index: Int) -> (String, InputLocation) {
        (
          index < record.fields.count ? record.fields[index].trimmingSpaces.description : "",
          InputLocation(
            file: path, line: record.line, column: index + 1, field: header.names[index])
        )
      }
      // The first quantity column that is filled in: Shopify's "On hand (new)", else current.
      let quantity =
        layout.quantities.map(cell).first { !$0.0.isEmpty } ?? cell(layout.quantities[0])
      var location = cell(layout.location)
      location.0 = locations[location.0] ?? location.0
      if let row = add(
        sku: cell(layout.sku), warehouse: location, quantity: quantity,
        mode: ("set", quantity.1), updatedAt: nil, merchant: nil,
        line: InputLocation(file: path, line: record.line))
      {
        try body(row)
      }
    }
  }
}
