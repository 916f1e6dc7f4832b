import MktCore

/// One Shopify product: the rows of one handle, turned into one record per variant.
struct ShopifyProduct {
  let rows: [CSVRecord]
  let header: CSVHeader
  let file: String

  /// Column names Shopify has used over time, old and new, for the same field.
  static let aliases: [String: [String]] = [
    "handle": ["handle", "url_handle"],
    "title": ["title"],
    "description": ["body_(html)", "body_html", "description"],
    "vendor": ["vendor"],
    "category": ["product_category", "google_shopping_/_google_product_category"],
    "type": ["type", "product_type"],
    "tags": ["tags"],
    "status": ["status"],
    "sku": ["variant_sku", "sku"],
    "grams": ["variant_grams", "weight_value_(grams)", "variant_weight"],
    "quantity": ["variant_inventory_qty", "inventory_quantity"],
    "tracker": ["variant_inventory_tracker", "inventory_tracker"],
    "policy": ["variant_inventory_policy", "continue_selling_when_out_of_stock"],
    "price": ["variant_price", "price"],
    "compare_at": ["variant_compare_at_price", "compare_at_price", "compare-at_price"],
    "barcode": ["variant_barcode", "barcode"],
    "image": ["image_src", "product_image_url"],
    "variant_image": ["variant_image", "variant_image_url"],
    "gtin": ["google_shopping_/_gtin"],
    "mpn": ["google_shopping_/_mpn", "google_shopping_/_manufacturer_part_number_(mpn)"],
    "gender": ["google_shopping_/_gender"],
    "age_group": ["google_shopping_/_age_group"],
    "condition": ["google_shopping_/_condition"],
  ]

  /// Every column name this reader maps to an attribute, or uses itself.
  static let read: Set<String> = {
    var names = Set(aliases.values.joined())
    for number in 1...3 { names.formUnion(["option\(number)_name", "option\(number)_value"]) }
    names.formUnion([
      "image_position", "image_alt_text", "published", "published_on_online_store",
      "variant_fulfillment_service", "fulfillment_service", "variant_requires_shipping",
      "requires_shipping", "variant_taxable", "charge_tax", "variant_weight_unit",
      "weight_unit_for_display", "gift_card",
    ])
    return names
  }()

  /// A cell without the apostrophe Shopify puts before digits (`'0012345678905`).
  static func unguarded(_ text: String) -> String {
    text.hasPrefix("'") ? String(text.dropFirst()) : text
  }

  /// Whether this product is a draft or archived (Shopify's `Status`).
  var isDraft: Bool {
    guard let first = rows.first else { return false }
    return ["draft", "archived"].contains(value(first, "status").lowercased())
  }

  func value(_ row: CSVRecord, _ field: String) -> String {
    for name in Self.aliases[field] ?? [field] {
      if let index = header.index(of: name), index < row.fields.count {
        let value = row.fields[index].trimmingSpaces
        if !value.isEmpty { return String(value) }
      }
    }
    return ""
  }

  /// One record per variant, numbered from `firstItem`.
  func records(startingAt firstItem: Int, options: FeedOptions) -> [ProductRecord] {
    guard let first = rows.first else { return [] }
    let handle = value(first, "handle")
    let optionNames = (1...3).map { value(first, "option\($0)_name") }
    let variants = rows.filter { row in
      !value(row, "sku").isEmpty || !value(row, "price").isEmpty
        || (1...3).contains { !value(row, "option\($0)_value").isEmpty }
    }
    let images = rows.map { value($0, "image") }.filter { !$0.isEmpty }
    var records: [ProductRecord] = []
    for (offset, row) in variants.enumerated() {
      var record = ProductRecord(
        location: InputLocation(file: file, line: row.line), item: firstItem + offset)
      if row.fields.count != header.names.count {
        record.readIssues.append(
          RowIssue(
            location: record.location, rule: "ragged-row",
            message: "the row has \(row.fields.count) fields, the header has \(header.names.count)")
        )
      }
      let optionValues = (1...3).map { value(row, "option\($0)_value") }
      setIdentity(&record, row: row, first: first, handle: handle, optionValues: optionValues)
      if let shop = options.shopURL, !handle.isEmpty {
        let base = shop.hasSuffix("/") ? String(shop.dropLast()) : shop
        record[.link] = "\(base)/products/\(handle)"
      }
      setImages(&record, row: row, images: images)
      setPrice(&record, row: row, options: options)
      setAvailability(&record, row: row, options: options)
      let grams = value(row, "grams")
      if !grams.isEmpty, grams != "0" { record[.shippingWeight] = grams + " g" }
      setOptions(&record, names: optionNames, values: optionValues)
      setCustom(&record, row: row, first: first)
      record.stamp(options)
      records.append(record)
    }
    return records
  }

  /// Sets the variant's id, the product's descriptive attributes and the codes (GTIN, MPN).
  private func setIdentity(
    _ record: inout ProductRecord, row: CSVRecord, first: CSVRecord, handle: String,
    optionValues: [String]
  ) {
    let sku = value(row, "sku")
    record[.id] =
      !sku.isEmpty
      ? sku
      : ([handle] + optionValues.filter { !$0.isEmpty && $0 != "Default Title" })
        .joined(separator: "-")
    record[.title] = value(first, "title")
    record[.description] = value(first, "description")
    record[.brand] = value(first, "vendor")
    record[.googleProductCategory] = value(first, "category")
    record[.productType] = value(first, "type")
    record[.itemGroupID] = handle
    // Shopify writes barcodes as '4006381333931 so that spreadsheets keep leading zeros.
    let barcode = Self.unguarded(value(row, "barcode"))
    record[.gtin] = barcode.isEmpty ? Self.unguarded(value(row, "gtin")) : barcode
    record[.mpn] = value(row, "mpn")
    record[.gender] = value(first, "gender")
    record[.ageGroup] = value(first, "age_group")
    record[.condition] = value(first, "condition")
  }

  /// Sets the variant's image (its own, else the row's, else the product's first) and the
  /// product's other images.
  private func setImages(_ record: inout ProductRecord, row: CSVRecord, images: [String]) {
    let variantImage = value(row, "variant_image")
    let ownImage = value(row, "image")
    record[.imageLink] =
      !variantImage.isEmpty ? variantImage : !ownImage.isEmpty ? ownImage : images.first ?? ""
    record.setList(.additionalImageLink, images.filter { $0 != record[.imageLink] })
  }

  /// Sets the price, and the sale price when a higher compare-at price is given.
  private func setPrice(_ record: inout ProductRecord, row: CSVRecord, options: FeedOptions) {
    let currency = options.currency.map { " " + $0 } ?? ""
    let price = value(row, "price")
    let compareAt = value(row, "compare_at")
    if !compareAt.isEmpty, (Double(compareAt) ?? 0) > (Double(price) ?? 0) {
      record[.price] = compareAt + currency
      record[.salePrice] = price + currency
    } else if !price.isEmpty {
      record[.price] = price + currency
    }
  }

  /// Sets the availability from the inventory quantity and policy, else from the options.
  private func setAvailability(
    _ record: inout ProductRecord, row: CSVRecord, options: FeedOptions
  ) {
    let quantity = value(row, "quantity")
    let continues = ["continue", "true", "yes"].contains(value(row, "policy").lowercased())
    if let count = Int(quantity) {
      record[.availability] = count > 0 ? "in_stock" : continues ? "backorder" : "out_of_stock"
    } else if let given = options.availability {
      record[.availability] = given
    } else {
      // Recent exports carry no quantity (stock moved to the inventory export). Untracked
      // variants and those sold when out of stock can be sold; tracked ones are assumed in
      // stock until `mkt inventory sync` says otherwise, and the item says so.
      record[.availability] = "in_stock"
      if !value(row, "tracker").isEmpty, !continues {
        record.readIssues.append(
          RowIssue(
            location: record.location, rule: "availability-assumed",
            message:
              "the export has no inventory quantity: in_stock assumed (sync stock with "
              + "`mkt inventory sync`, or pass --availability)", severity: .warning))
      }
    }
  }

  /// Sets the attributes the variant's options name (color, size, material, pattern); other
  /// options become custom attributes.
  private func setOptions(
    _ record: inout ProductRecord, names optionNames: [String], values optionValues: [String]
  ) {
    for (name, optionValue) in zip(optionNames, optionValues) where !optionValue.isEmpty {
      let key = CSVHeader.normalize(name)
      switch key {
      case "color", "colour": record[.color] = optionValue
      case "size": record[.size] = optionValue
      case "material": record[.material] = optionValue
      case "pattern": record[.pattern] = optionValue
      case "title" where optionValue == "Default Title": continue
      default: record.custom[key.isEmpty ? "option" : key] = optionValue
      }
    }
  }

  /// Sets the custom attributes: tags, status, and the columns mkt has no attribute for.
  private func setCustom(_ record: inout ProductRecord, row: CSVRecord, first: CSVRecord) {
    let tags = value(first, "tags")
    if !tags.isEmpty { record.custom["tags"] = tags }
    let status = value(first, "status")
    if !status.isEmpty { record.custom["status"] = status }
    // Columns mkt has no attribute for (`Option1 Linked To`, metafields, market prices such as
    // `Price / International`, `Included / Germany`) stay as custom attributes, the variant's
    // value first, else the product's.
    for (index, name) in header.names.enumerated() where !Self.read.contains(name) {
      let own = index < row.fields.count ? row.fields[index].trimmingSpaces : ""
      let shared = index < first.fields.count ? first.fields[index].trimmingSpaces : ""
      let cell = own.isEmpty ? shared : own
      if !cell.isEmpty, record.custom[name] == nil { record.custom[name] = String(cell) }
    }
  }
}
