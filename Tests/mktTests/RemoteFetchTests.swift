import Foundation
import Testing

/// The bounds of fetching URLs (hardening class 3), against the hostile routes of
/// Fixtures/feed-server.py: a deadline for the whole fetch, a size cap, redirects to http(s)
/// only, and no temporary file left behind.
@Suite struct RemoteFetchTests {
  let workspace: Workspace
  let server: FeedServer
  /// `$TMPDIR` of the runs: nothing may be left in it.
  let temporary: String

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv")
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country", "DE")
    try FileManager.default.copyItem(
      atPath: packageRoot + "/examples/feeds/kuechenwelt-de.xml",
      toPath: workspace.file("kuechenwelt-de.xml"))
    temporary = workspace.file("tmp")
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    server = try FeedServer(serving: workspace.path)
  }

  /// The command line of `command` fetching `url`.
  static func fetching(_ command: String, _ url: String) -> [String] {
    switch command {
    case "currency": ["currency", "import", url]
    case "inventory": ["inventory", "sync", url, "--merchant", "kuechenwelt-de"]
    default: ["import", url, "--merchant", "kuechenwelt-de"]
    }
  }

  /// Runs mkt with `$TMPDIR` set to ``temporary``; returns the run and its seconds.
  func timed(_ arguments: [String]) throws -> (run: Run, seconds: Double) {
    let start = ContinuousClock.now
    let run = try workspace.run(arguments, environment: ["TMPDIR": temporary])
    return (run, Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000)
  }

  /// Download files beside the database, and anything in `$TMPDIR`.
  func leftovers() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: workspace.path).filter {
      $0.contains(".fetch-") || $0.hasSuffix(".partial")
    } + FileManager.default.contentsOfDirectory(atPath: temporary)
  }

  @Test(arguments: ["import", "currency", "inventory"])
  func aSilentServerIsGivenUpAtTheTimeoutRetriesIncluded(command: String) throws {
    defer { server.stop() }
    let before = try workspace.run("catalog", "stats").stdout
    let (run, seconds) = try timed(
      Self.fetching(command, server.base + "/silent/feed.csv") + ["--timeout", "2"])
    #expect(run.status == 69, "\(run.stderr)")
    #expect(seconds < 5, "took \(seconds) s")
    #expect(run.stderr.contains("took longer than --timeout 2 s"), "\(run.stderr)")
    #expect(try leftovers().isEmpty)
    #expect(try workspace.run("catalog", "stats").stdout == before)
  }

  @Test func aServerThatDripsAByteAtATimeIsGivenUpAtTheTimeoutToo() throws {
    defer { server.stop() }
    // Never idle for a second, never done: only a deadline for the whole fetch ends it.
    let (run, seconds) = try timed(
      Self.fetching("import", server.base + "/drip/feed.csv") + ["--timeout", "2"])
    #expect(run.status == 69, "\(run.stderr)")
    #expect(seconds < 5, "took \(seconds) s")
    #expect(try leftovers().isEmpty)
  }

  @Test(arguments: ["import", "currency", "inventory"])
  func anEndlessBodyStopsAtTheCapAndLeavesNoFile(command: String) throws {
    defer { server.stop() }
    let (run, seconds) = try timed(
      Self.fetching(command, server.base + "/endless/feed.csv") + [
        "--timeout", "60", "--max-bytes", "1M",
      ])
    #expect(run.status == 69, "\(run.stderr)")
    #expect(seconds < 10, "took \(seconds) s")
    #expect(run.stderr.contains("larger than --max-bytes 1048576 bytes (1 MiB)"), "\(run.stderr)")
    #expect(try leftovers().isEmpty)
  }

  @Test func anAnnouncedLengthAboveTheCapIsRefusedBeforeReading() throws {
    defer { server.stop() }
    let (run, _) = try timed(
      Self.fetching("import", server.base + "/huge/feed.csv") + ["--max-bytes", "1000000"])
    #expect(run.status == 69)
    #expect(run.stderr.contains("is 53687091200 bytes, larger than --max-bytes 1000000 bytes"))
    #expect(run.stderr.contains("nothing was read"))
    #expect(try leftovers().isEmpty)
  }

  @Test(arguments: ["import", "currency", "inventory"])
  func aRedirectToAFileURLIsRefusedAndSaysSo(command: String) throws {
    defer { server.stop() }
    let (run, _) = try timed(
      Self.fetching(command, server.base + "/redirect?to=file:///etc/passwd"))
    #expect(run.status == 69)
    #expect(
      run.stderr.contains(
        "the server redirected \(server.base)/redirect?to=file:///etc/passwd "
          + "to file:///etc/passwd, which is not http(s)"), "\(run.stderr)")
    #expect(!run.stderr.contains("HTTP 404"))  // the old message; a port may hold 404
    #expect(!run.stderr.contains("root:") && !run.stdout.contains("root:"))
    #expect(try leftovers().isEmpty)
  }

  @Test(arguments: ["ftp://127.0.0.1/feed.csv", "data:text/csv,id%0A1"])
  func redirectsToOtherSchemesAreRefusedToo(target: String) throws {
    defer { server.stop() }
    let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
    let (run, _) = try timed(Self.fetching("import", server.base + "/redirect?to=" + encoded))
    #expect(run.status == 69)
    #expect(run.stderr.contains("which is not http(s)"), "\(run.stderr)")
  }

  @Test func aRedirectToAnotherHTTPPathIsFollowed() throws {
    defer { server.stop() }
    let (run, _) = try timed(
      Self.fetching("import", server.base + "/redirect?to=/kuechenwelt-de.xml"))
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("5 inserted"))
    #expect(try leftovers().isEmpty)
  }

  @Test func aRedirectLoopEndsAfterTenRedirects() throws {
    defer { server.stop() }
    // Each hop takes one "/redirect?to=" off the front.
    let hops = { (count: Int) in
      server.base + String(repeating: "/redirect?to=", count: count) + "/status/404"
    }
    let ten = try timed(Self.fetching("import", hops(10)) + ["--retries", "0"]).run
    #expect(ten.stderr.contains("answered HTTP 404"), "\(ten.stderr)")
    let long = try timed(Self.fetching("import", hops(11))).run
    #expect(long.status == 69)
    #expect(long.stderr.contains("redirected more than 10 times"), "\(long.stderr)")
  }

  @Test func aFailedFetchLeavesNoTemporaryFile() throws {
    defer { server.stop() }
    // A transfer cut short left Foundation's download file in $TMPDIR.
    for path in ["/truncated/feed.csv", "/status/404", "/status/503", "/missing.xml"] {
      let (run, _) = try timed(
        Self.fetching("import", server.base + path) + ["--retries", "1", "--timeout", "10"])
      #expect(run.status == 69)
    }
    let (ok, _) = try timed(Self.fetching("import", server.base + "/kuechenwelt-de.xml"))
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(try leftovers().isEmpty)
  }

  @Test func theDownloadGoesBesideTheDatabaseAndAKilledRunsFileIsSweptNextTime() throws {
    defer { server.stop() }
    let killed = try start(Self.fetching("import", server.base + "/endless/feed.csv"))
    let partial = try waitForDownload()
    #expect(partial.hasPrefix("mkt.db.fetch-\(killed.processIdentifier)-"))
    kill(killed.processIdentifier, SIGKILL)
    killed.waitUntilExit()
    #expect(try leftovers() == [partial])  // nothing can remove it after SIGKILL
    let (next, _) = try timed(Self.fetching("import", server.base + "/kuechenwelt-de.xml"))
    #expect(next.status == 0, "\(next.stderr)")
    #expect(try leftovers().isEmpty)
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func aSignalDuringTheDownloadRemovesItsFile(signal: Int32) throws {
    defer { server.stop() }
    let process = try start(Self.fetching("import", server.base + "/endless/feed.csv"))
    _ = try waitForDownload()
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == signal)
    #expect(try leftovers().isEmpty)
  }

  @Test(arguments: [
    (["--timeout", "0"], "--timeout must be from 0.1 to 86400 seconds"),
    (["--timeout", "90000"], "--timeout must be from 0.1 to 86400 seconds"),
    (["--timeout", "nan"], "--timeout must be from 0.1 to 86400 seconds"),
    (["--retries", "11"], "--retries must be from 0 to 10"),
    (["--retries=-1"], "--retries must be from 0 to 10"),
    (["--max-bytes", "0"], "--max-bytes must be from 1 to 1099511627776"),
    (["--max-bytes", "2T"], "--max-bytes must be from 1 to 1099511627776"),
  ])
  func fetchOptionsOutOfRangeExit64NamingTheRange(options: [String], message: String) throws {
    defer { server.stop() }
    for command in ["import", "currency", "inventory"] {
      let run = try workspace.run(Self.fetching(command, server.base + "/x.csv") + options)
      #expect(run.status == 64, "\(command) \(options)")
      #expect(run.stderr.contains(message), "\(command) \(options): \(run.stderr)")
    }
  }

  /// Starts mkt without waiting for it.
  func start(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: mktBinary)
    process.arguments = arguments + ["--timeout", "120"]
    process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MKT_") }
    environment["TMPDIR"] = temporary
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// The name of the download file beside the database, once it holds some bytes.
  func waitForDownload() throws -> String {
    let end = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < end {
      for name in try leftovers() {
        let size = try FileManager.default.attributesOfItem(atPath: workspace.file(name))[.size]
        if let size = size as? NSNumber, size.intValue > 0 { return name }
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    Issue.record("no download file appeared beside the database")
    return ""
  }
}

/// Fixtures/feed-server.py on 127.0.0.1, serving a folder; stopped with ``stop()``.
struct FeedServer {
  let process: Process
  /// `http://127.0.0.1:PORT`.
  let base: String

  init(serving folder: String) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", packageRoot + "/Tests/mktTests/Fixtures/feed-server.py", folder,
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    var port = Data()
    while !port.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      port += chunk
    }
    base =
      "http://127.0.0.1:"
      + String(decoding: port, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func stop() {
    // SIGKILL: the test runner's children may inherit an ignored SIGTERM.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
}
