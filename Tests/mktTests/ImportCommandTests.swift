import Foundation
import Testing

@Suite struct ImportCommandTests {
  let workspace: Workspace
  let examples = packageRoot + "/examples"
  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples + "/merchants.csv")
  }

  @Test func importsAFeedThenFindsItUnchangedAndRecordsHistory() throws {
    let feed = examples + "/feeds/kuechenwelt-de.xml"
    let first = try workspace.run("import", feed, "--merchant", "kuechenwelt-de")
    #expect(first.status == 0)
    #expect(first.stdout.contains("5 rows: 5 inserted"))
    let second = try workspace.run("import", feed, "--merchant", "kuechenwelt-de", "--json")
    let summaries = try #require(
      try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [[String: Any]])
    #expect(summaries.first?["unchanged"] as? Int == 5)
    let history = try workspace.run("import", "history", "--jsonl")
    #expect(history.stdout.split(separator: "\n").count == 2)
    let list = try workspace.run("catalog", "list", "--merchant", "kuechenwelt-de", "--csv")
    #expect(list.stdout.split(separator: "\n").count == 6)
    let show = try workspace.run("catalog", "show", "KWM-1001")
    #expect(show.stdout.contains("\"merchant_id\" : \"kuechenwelt-de\""))
  }

  /// Issue 15, item 7: a sale whose dates have ended is not the price; the feed's sale stays.
  @Test func anEndedSaleIsNotTheListedPriceButStaysInTheProduct() throws {
    let feed = workspace.file("sale.csv")
    try workspace.write(
      "sale.csv",
      "id,title,description,link,image_link,availability,price,sale_price,sale_price_effective_date,brand,mpn\n"
        + "S-OLD,Kanne,Alt.,https://k.example/1,https://k.example/1.jpg,in_stock,59.00 EUR,"
        + "47.20 EUR,2025-11-24T00:00+0100/2025-12-01T23:59+0100,K,K1\n"
        + "S-NOW,Kanne,Jetzt.,https://k.example/2,https://k.example/2.jpg,in_stock,59.00 EUR,"
        + "49.00 EUR,2020-01-01T00:00Z/2099-12-31T23:59Z,K,K2\n"
        + "S-ANY,Kanne,Immer.,https://k.example/3,https://k.example/3.jpg,in_stock,59.00 EUR,"
        + "45.00 EUR,,K,K3\n")
    #expect(try workspace.run("import", feed, "--merchant", "kuechenwelt-de").status == 0)
    let list = try workspace.run("catalog", "list", "--merchant", "kuechenwelt-de", "--csv")
    #expect(list.stdout.contains("S-OLD,Kanne,K,59.00 EUR,,in_stock"))
    #expect(list.stdout.contains("S-NOW,Kanne,K,59.00 EUR,49.00 EUR,in_stock"))
    #expect(list.stdout.contains("S-ANY,Kanne,K,59.00 EUR,45.00 EUR,in_stock"))
    let show = try workspace.run("catalog", "show", "S-OLD")
    #expect(show.stdout.contains("\"sale_price\" : \"47.20 EUR\""))
    #expect(show.stdout.contains("2025-11-23T23:00:00Z/2025-12-01T22:59:00Z"))
    let search = try workspace.run("search", "kanne", "--json")
    #expect(search.status == 0, "\(search.stderr)")
    let hits = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
    let prices = Dictionary(
      uniqueKeysWithValues: (hits?["hits"] as? [[String: Any]] ?? []).map {
        ($0["id"] as? String ?? "", $0["price"] as? String ?? "")
      })
    #expect(prices == ["S-OLD": "59.00 EUR", "S-NOW": "49.00 EUR", "S-ANY": "45.00 EUR"])
  }

  @Test func rejectedItemsExit65WriteTheErrorsFileAndChangeNothing() throws {
    try workspace.write(
      "bad.csv",
      "id,title,description,link,image_link,availability,price\n"
        + "B-1,Stuhl,Gut.,https://k.example/1,https://k.example/1.jpg,in_stock,10.00 EUR\n"
        + "B-2,Tisch,Gut.,ftp://k.example/2,https://k.example/2.jpg,in_stock,10.00 EUR\n")
    let run = try workspace.run(
      "import", "bad.csv", "--merchant", "kuechenwelt-de", "--errors", "rejected.ndjson")
    #expect(run.status == 65)
    #expect(
      run.stderr.contains(
        "bad.csv:3:4 (item 2, field link, id B-2): link is not an http(s) URL [invalid-url]"))
    #expect(run.stderr.contains("nothing was written"))
    let errors = try String(contentsOfFile: workspace.file("rejected.ndjson"), encoding: .utf8)
    #expect(errors.contains("\"rule\":\"invalid-url\""))
    #expect(try workspace.run("catalog", "stats").stdout.hasPrefix("0 products"))
    let budget = try workspace.run(
      "import", "bad.csv", "--merchant", "kuechenwelt-de", "--max-errors", "1")
    #expect(budget.status == 0)
    #expect(try workspace.run("catalog", "stats").stdout.hasPrefix("1 products"))
  }

  @Test func aManifestImportsEachMerchantAloneAndExits65WhenOneFails() throws {
    try workspace.write(
      "feeds.csv",
      "merchant_id,source,format,mode,language\n"
        + "kuechenwelt-de,\(examples)/feeds/kuechenwelt-de.xml,,,de\n"
        + "nordic-home,missing.csv,csv,,\n"
        + "new-shop,new.csv,,replace,fr\n")
    try workspace.write(
      "new.csv",
      "id,title,description,link,image_link,availability,price\n"
        + "N-1,Chaise,Bois.,https://n.example/1,https://n.example/1.jpg,in_stock,10.00 EUR\n")
    let absolute = try workspace.run("import", "--manifest", "feeds.csv")
    #expect(absolute.status == 65)
    #expect(absolute.stderr.contains("at feeds.csv:2:2 (field source)"))
    #expect(absolute.stderr.contains("is an absolute path"))
    let refused = try workspace.run("import", "--manifest", "feeds.csv", "--allow-absolute")
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("no merchant new-shop"))
    let run = try workspace.run(
      "import", "--manifest", "feeds.csv", "--create-merchants", "--merchant-country", "FR",
      "--jobs", "2", "--allow-absolute")
    #expect(run.status == 65)
    #expect(run.stdout.contains("3 merchants: 2 imported, 1 failed"))
    #expect(run.stderr.contains("nordic-home: cannot open"))
    #expect(try workspace.run("merchant", "show", "new-shop").stdout.contains("FR"))
    let stats = try workspace.run("catalog", "stats", "--json").stdout
    #expect(stats.contains("\"new-shop\""))
    #expect(try workspace.run("import", "--manifest", "feeds.csv", "x.csv").status == 64)
  }

  @Test func anUnknownMerchantIsRejected() throws {
    let run = try workspace.run(
      "import", examples + "/feeds/kuechenwelt-de.xml", "--merchant", "nobody")
    #expect(run.status == 65)
    #expect(run.stderr.contains("[unknown-merchant]"))
  }

  @Test func aMissingFeedExits66AndAMalformedOne65() throws {
    #expect(try workspace.run("import", "nope.xml", "--merchant", "kuechenwelt-de").status == 66)
    let truncated = packageRoot + "/Tests/ImportersTests/Fixtures/hostile/truncated.xml"
    let run = try workspace.run("import", truncated, "--merchant", "kuechenwelt-de")
    #expect(run.status == 65)
    #expect(try workspace.run("catalog", "stats").stdout.hasPrefix("0 products"))
  }
}

@Suite struct ConcurrentImportTests {
  @Test func aSecondImportWaitsThenExits75AndNeverInterleaves() throws {
    let workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "add", "big", "--name", "Big Shop", "--country", "DE")
    var csv = "id,title,description,link,image_link,availability,price\n"
    for index in 0..<20_000 {
      csv +=
        "B-\(index),Chair \(index),A chair.,https://b.example/\(index),"
        + "https://b.example/\(index).jpg,in_stock,10.00 EUR\n"
    }
    try workspace.write("big.csv", csv)
    try workspace.write(
      "small.csv",
      "id,title,description,link,image_link,availability,price\n"
        + "S-1,Stool,A stool.,https://b.example/s,https://b.example/s.jpg,in_stock,5.00 EUR\n")

    let first = Process()
    first.executableURL = URL(fileURLWithPath: mktBinary)
    first.arguments = ["import", "big.csv", "--merchant", "big", "-q"]
    first.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
    first.standardOutput = FileHandle.nullDevice
    first.standardError = FileHandle.nullDevice
    try first.run()
    Thread.sleep(forTimeInterval: 0.4)  // the first import holds the write lock by now
    let second = try workspace.run(
      "import", "small.csv", "--merchant", "big", "--busy-timeout", "0.1")
    first.waitUntilExit()

    #expect(first.terminationStatus == 0)
    if second.status == 75 {
      #expect(second.stderr.contains("another mkt process holds the database; try again"))
      #expect(try workspace.run("catalog", "stats").stdout.hasPrefix("20000 products"))
    } else {
      // The first import finished within 0.4 s: then the second ran after it, whole.
      #expect(second.status == 0)
      #expect(try workspace.run("catalog", "stats").stdout.hasPrefix("20001 products"))
    }
    let history = try workspace.run("import", "history", "--jsonl").stdout
    #expect(history.contains("\"outcome\":\"ok\""))
  }
}

@Suite struct CatalogExportTests {
  @Test(arguments: ["csv", "tsv", "xml"])
  func exportedFeedsNormalizeToTheStoredLines(format: String) throws {
    let workspace = try Workspace()
    let examples = packageRoot + "/examples"
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples + "/merchants.csv")
    _ = try workspace.run(
      "import", examples + "/feeds/kuechenwelt-de.xml", "--merchant", "kuechenwelt-de")
    _ = try workspace.run(
      "import", examples + "/feeds/sklep-krakow-pl.csv", "--merchant", "krakow-pl")
    let lines = try workspace.run("catalog", "export")
    #expect(lines.status == 0)
    #expect(lines.stdout.split(separator: "\n").count == 9)
    let export = try workspace.run(
      "catalog", "export", "--format", format, "-o", "catalog.\(format)")
    #expect(export.status == 0)
    let normalized = try workspace.run("feed", "normalize", "catalog.\(format)")
    #expect(normalized.stdout == lines.stdout)
  }
}

/// Feeds from http(s) URLs, against a local server (Fixtures/feed-server.py).
@Suite struct RemoteFeedTests {
  let workspace: Workspace
  let server: FeedServer
  let base: String

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv")
    try FileManager.default.copyItem(
      atPath: packageRoot + "/examples/feeds/kuechenwelt-de.xml",
      toPath: workspace.file("kuechenwelt-de.xml"))
    server = try FeedServer(serving: workspace.path)
    base = server.base
  }

  func stop() { server.stop() }

  @Test func anUnchangedRemoteFeedIsNotReadAgain() throws {
    defer { stop() }
    let url = base + "/kuechenwelt-de.xml"
    let first = try workspace.run("import", url, "--merchant", "kuechenwelt-de")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("\(url): 5 rows: 5 inserted"))
    let second = try workspace.run("import", url, "--merchant", "kuechenwelt-de", "--json")
    #expect(second.status == 0)
    #expect(second.stdout.contains("\"not_modified\" : true"))
    let history = try workspace.run("import", "history", "--csv").stdout
    #expect(history.contains("not-modified"))
  }

  @Test func ratesAndStockFilesComeFromURLsToo() throws {
    defer { stop() }
    try FileManager.default.copyItem(
      atPath: packageRoot + "/examples/ecb/eurofxref-daily.xml",
      toPath: workspace.file("eurofxref-daily.xml"))
    let rates = try workspace.run("currency", "import", base + "/eurofxref-daily.xml")
    #expect(rates.status == 0, "\(rates.stderr)")
    #expect(rates.stdout.contains("1 day (2025-02-25)"))
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country", "DE")
    try workspace.write("stock.csv", "sku,warehouse,quantity\nKWM-1001,BER1,7\n")
    let url = base + "/stock.csv"
    let sync = try workspace.run("inventory", "sync", url, "--merchant", "kuechenwelt-de")
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(sync.stdout.hasPrefix(url))
    #expect(try workspace.run("inventory", "show", "KWM-1001", "--csv").stdout.contains(",7,7,"))
    let gone = try workspace.run(
      "inventory", "sync", base + "/status/503", "--merchant", "kuechenwelt-de")
    #expect(gone.status == 69)
  }

  @Test func aFailedFetchExits69AndChangesNothing() throws {
    defer { stop() }
    let before = try workspace.run("catalog", "stats").stdout
    let missing = try workspace.run(
      "import", base + "/status/404", "--merchant", "kuechenwelt-de", "--retries", "0")
    #expect(missing.status == 69)
    #expect(missing.stderr.contains("answered HTTP 404"))
    let down = try workspace.run(
      "import", base + "/status/503", "--merchant", "kuechenwelt-de", "--retries", "1")
    #expect(down.status == 69)
    #expect(down.stderr.contains("503"))
    #expect(down.stderr.contains("2 attempts"))
    let refused = try workspace.run(
      "import", "http://127.0.0.1:1/feed.xml", "--merchant", "kuechenwelt-de", "--retries", "0")
    #expect(refused.status == 69)
    #expect(try workspace.run("catalog", "stats").stdout == before)
  }

  @Test func aServerErrorIsRetried() throws {
    defer { stop() }
    let run = try workspace.run(
      "import", base + "/flaky/kuechenwelt-de.xml", "--merchant", "kuechenwelt-de")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("5 inserted"))
  }
}

/// An import onto a full disk: a small tmpfs holds the database (root only, where mounts work).
@Suite struct FullDiskTests {
  @Test(.enabled(if: getuid() == 0)) func aFullDiskExits74AndLeavesTheCatalogAsItWas() throws {
    let workspace = try Workspace()
    let small = workspace.file("small")
    try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
    guard try shell("mount -t tmpfs -o size=3m tmpfs '\(small)'", in: workspace.path).status == 0
    else { return }  // no mount permission here: nothing to test
    defer { _ = try? shell("umount '\(small)'", in: workspace.path) }
    let db = small + "/mkt.db"
    #expect(try workspace.run("init", "--db", db).status == 0)
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv", "--db", db)
    var feed = "id,title,description,link,image_link,availability,price\n"
    let description = String(repeating: "Solid oak oiled by hand. ", count: 12)
    for number in 1...20_000 {
      feed +=
        "F-\(number),Table \(number),\(description),https://k.example/\(number),"
        + "https://k.example/\(number).jpg,in_stock,10.00 EUR\n"
    }
    try workspace.write("big.csv", feed)
    let run = try workspace.run("import", "big.csv", "--merchant", "kuechenwelt-de", "--db", db)
    #expect(run.status == 74, "\(run.stderr)")
    #expect(run.stderr.contains("disk"))
    #expect(try workspace.run("catalog", "stats", "--db", db).stdout.hasPrefix("0 products"))
    #expect(try workspace.run("db", "check", "--db", db).status == 0)
  }
}
