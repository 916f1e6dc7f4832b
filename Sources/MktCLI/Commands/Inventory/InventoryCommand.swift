import ArgumentParser
import Catalog
import Foundation
import Importers
import Inventory
import MktCore
import Store

/// `mkt inventory`: warehouses and stock.
struct InventoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inventory",
    abstract: "Warehouses and stock: syncs from merchants' ERPs, levels, low stock, export.",
    subcommands: [
      WarehouseCommand.self, StockSyncCommand.self, StockShowCommand.self, StockLowCommand.self,
      LowStockThresholdCommand.self,
      InventoryReorderCommand.self,
      StockExportCommand.self,
    ])
}

/// `mkt inventory warehouse`.
struct WarehouseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "warehouse", abstract: "Add and list merchants' warehouses.",
    subcommands: [WarehouseAddCommand.self, WarehouseListCommand.self])
}

/// `mkt inventory warehouse add`.
struct WarehouseAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a warehouse and the countries it ships to.",
    discussion:
      "Example: mkt inventory warehouse add BER1 --merchant acme-de --country DE --serves DE,AT,PL")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The merchant that owns it.") var merchant: String
  @Option(help: "Its name (default: the id).") var name: String?
  @Option(help: "The country it is in.") var country: String
  @Option(help: "The countries it ships to, comma-separated (default: its own).") var serves:
    String?
  @Argument(help: "The warehouse id, as the merchant's stock files name it.") var id: String

  func run() async throws {
    let warehouse = try await InventoryService(store: global.openStore()).addWarehouse(
      merchant: merchant, id: id, name: name, country: country,
      serves: serves?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
    try Output(global, output).result(warehouse) {
      global.quiet
        ? ""
        : "added warehouse \($0.id) of \($0.merchantID) in \($0.country), serving "
          + $0.serves.map(\.rawValue).joined(separator: " ")
    }
  }
}

/// `mkt inventory warehouse list`.
struct WarehouseListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List warehouses.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?

  func run() async throws {
    let warehouses = try await InventoryService(store: global.openStore(.reading)).warehouses(
      merchant: merchant)
    try Output(global, output).rows(
      warehouses,
      columns: [
        ("merchant", \.merchantID), ("id", \.id), ("name", \.name), ("country", \.country.rawValue),
        ("serves", { $0.serves.map(\.rawValue).joined(separator: " ") }),
      ])
  }
}

/// `--mode` of a stock sync.
enum StockModeArgument: String, ExpressibleByArgument, CaseIterable {
  case set, delta
  var mode: StockMode { self == .set ? .set : .delta }
}

/// `mkt inventory sync FILE`.
struct StockSyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Apply a stock file from an ERP: all rows or none, once, never below zero.",
    discussion: """
      The file is CSV (sku,warehouse,quantity[,mode][,updated_at][,merchant_id]) or JSON \
      lines with the same keys; Shopify's inventory export (On hand (new) when filled in, else \
      On hand (current); Location is the warehouse, see --location-map) and Magento MSI source \
      items (source_code,sku,status,quantity) are read as they are. set makes quantity the on-hand stock; delta adds it (a \
      negative delta never takes stock below zero: the row is rejected). Rows older than the \
      stored updated_at are skipped. The same file (or --sync-id) twice changes nothing. A \
      second sync while one runs exits 75 at once; a lock left by a killed run is taken over. \
      Quiet on success with -q: fit for cron.

      Example: */5 * * * * mkt inventory sync /erp/stock.csv --merchant acme-de -q
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The merchant owning every row (else each row's merchant_id).") var merchant:
    String?
  @Option(name: .customLong("mode"), help: "The mode of rows that name none.")
  var stockMode: StockModeArgument = .set
  @Option(help: "The sync's id (default: the file's checksum); the same id applies once.")
  var syncID: String?
  @Flag(help: "Read, validate and show what would change; write nothing.") var dryRun = false
  @Option(help: "Skip and report up to N bad rows; one more aborts with nothing written.")
  var maxErrors = 0
  @Option(help: ArgumentHelp("Write every rejected row to this file as NDJSON.", valueName: "file"))
  var errors: String?
  @Option(
    help: ArgumentHelp(
      "Shopify inventory exports: the warehouse of a location (else the warehouse whose id or "
        + "name is the location's).", valueName: "location=warehouse"))
  var locationMap: [String] = []
  @Option(
    name: .customLong("map"),
    help: ArgumentHelp(
      "Rename a column of any CSV stock file, as feeds take it: \"Artikel=sku\", \"Lager=warehouse\", "
        + "\"Bestand=quantity\".", valueName: "column=name"))
  var columnMap: [String] = []
  @OptionGroup(title: "Fetching an http(s) URL") var fetch: FetchOptions<StockFetch>
  @Argument(help: "The stock file, an http(s) URL, or '-' for standard input.", completion: .file())
  var file: String

  func validate() throws {
    for pair in columnMap where pair.split(separator: "=", maxSplits: 1).count != 2 {
      throw ValidationError("--map takes column=name, such as --map \"Artikel=sku\"")
    }
    for pair in locationMap where pair.split(separator: "=", maxSplits: 1).count != 2 {
      throw ValidationError(
        "--location-map takes location=warehouse, such as --location-map \"MAIN STORE=BER1\"")
    }
  }

  /// `--location-map` pairs as a dictionary.
  var locations: [String: String] { Self.pairs(locationMap) }

  /// `--map` pairs, their columns normalized as headers are.
  var columns: [String: String] {
    var map: [String: String] = [:]
    for (column, name) in Self.pairs(columnMap) { map[CSVHeader.normalize(column)] = name }
    return map
  }

  static func pairs(_ list: [String]) -> [String: String] {
    var map: [String: String] = [:]
    for pair in list {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2 { map[parts[0]] = parts[1] }
    }
    return map
  }

  func run() async throws {
    try ImportContractOptions.checkErrorsPath(errors)
    let out = Output(global, output)
    let service = InventoryService(store: try global.openStore())
    let summary: StockSyncSummary
    do {
      // A URL is fetched whole first (within --timeout and --max-bytes), then applied.
      let fetched =
        RemoteFile.isURL(file) ? try await InputFile.bytes(file, fetch: fetch.limits) : nil
      summary = try await service.sync(
        path: file, merchant: merchant, mode: stockMode.mode, syncID: syncID,
        options: ImportOptions(dryRun: dryRun, maxErrors: maxErrors), bytes: fetched,
        locations: locations, mapping: columns)
    } catch let error as ImportError {
      if case .tooManyErrors(_, _, _, let issues) = error {
        try ImportContractOptions.writeErrors(issues, to: errors)
      }
      throw error
    }
    try ImportContractOptions.writeErrors(summary.issues, to: errors)
    for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
    if output.format == .json {
      try out.write(Output.json(summary, pretty: true) + "\n")
    } else if !global.quiet {
      try out.write("\(summary.source): \(summary.line)\n")
    }
  }
}

/// `mkt inventory show SKU`.
struct StockShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show a sku's stock in every warehouse.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?
  @Argument(help: "The sku.") var sku: String

  func run() async throws {
    let levels = try await InventoryService(store: global.openStore(.reading)).stock(
      sku: sku, merchant: merchant)
    guard !levels.isEmpty else { throw InventoryError.notFound(sku: sku) }
    try Output(global, output).rows(levels, columns: StockColumns.all)
  }
}

/// `mkt inventory low --below N`.
struct StockLowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "low", abstract: "List stock below a threshold, per warehouse.",
    discussion: "Example: mkt inventory low --below 5 --merchant acme-de --csv")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?
  @Option(
    help:
      "The threshold: rows with on-hand stock below it (default with --merchant: its low-stock threshold)."
  )
  var below: Int?
  @Option(help: "At most this many rows.") var limit: Int?

  func validate() throws {
    if below == nil, merchant == nil {
      throw ValidationError("give --below N, or --merchant M for its low-stock threshold")
    }
  }

  func run() async throws {
    let service = InventoryService(store: try global.openStore(.reading))
    var threshold = below
    if threshold == nil, let merchant {
      threshold = Int(try await service.lowStock(merchant: merchant))
    }
    let levels = try await service.stock(
      merchant: merchant, below: threshold ?? Int(InventoryService.defaultLowStock), limit: limit)
    try Output(global, output).rows(levels, columns: StockColumns.all)
  }
}

/// `mkt inventory low-stock MERCHANT [--below N]`.
struct LowStockThresholdCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "low-stock",
    abstract: "Show or set a merchant's low-stock threshold.",
    discussion: """
      A product available below its merchant's threshold (in the warehouses serving the \
      shopper's country) shows the low-stock badge in catalog show, search and recs lists; \
      mkt inventory low --merchant M lists the stock below it; a sku going below it (all \
      warehouses) is a stock.low webhook event. 5 where none is set; 0 turns both off.

      Example: mkt inventory low-stock acme-de --below 3
      """)

  @OptionGroup var global: GlobalOptions
  @Argument(help: "The merchant.") var merchant: String
  @Option(help: "Set the threshold: available below N is low (0 to 1000000).") var below: Int64?

  func validate() throws {
    if let below, !(0...1_000_000).contains(below) {
      throw ValidationError("--below is 0 to 1000000")
    }
  }

  func run() async throws {
    let store = try global.openStore(below == nil ? .reading : .existing)
    let threshold = try await InventoryService(store: store).lowStock(
      merchant: merchant, below: below)
    print(threshold)
  }
}

/// `mkt inventory export`.
struct StockExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Print every stock level as CSV (re-importable by sync) or JSON lines.")

  @OptionGroup var global: GlobalOptions
  @Option(help: "Only this merchant's.") var merchant: String?
  @Flag(help: "JSON lines instead of CSV.") var jsonl = false
  @Option(
    name: [.short, .long], help: "Write to this file (complete or not at all) instead of stdout.")
  var output: String?

  func run() async throws {
    let service = InventoryService(store: try global.openStore(.reading))
    let out = try OutputFile(path: output)
    let sink = OutputSink(out)
    let jsonl = jsonl
    do {
      if !jsonl { try out.write("merchant_id,sku,warehouse,quantity,updated_at\n") }
      try await service.forEachStock(merchant: merchant) { level in
        if jsonl {
          try sink.write(Output.json(level, pretty: false) + "\n")
        } else {
          try sink.write(
            [
              level.merchantID, level.sku, level.warehouseID, String(level.onHand),
              level.sourceUpdatedAt ?? "",
            ].map(TextTable.csvCell).joined(separator: ",") + "\n")
        }
      }
      try out.finish()
    } catch {
      out.abandon()
      throw error
    }
  }
}

enum StockColumns {
  static var all: [(String, (StockLevel) -> String)] {
    [
      ("merchant", \.merchantID), ("sku", \.sku), ("warehouse", \.warehouseID),
      ("on_hand", { String($0.onHand) }), ("available", { String($0.available) }),
      ("source_updated_at", { $0.sourceUpdatedAt ?? "" }), ("updated_at", \.updatedAt),
    ]
  }
}
