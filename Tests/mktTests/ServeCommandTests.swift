import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `mkt serve` as a process on a free port of 127.0.0.1.
final class ServeProcess: @unchecked Sendable {
  // SAFETY: every stored property is set in init and never changed.
  let process = Process()
  let port: Int
  let log: String

  init(_ workspace: Workspace, db: String = "mkt.db", extra: [String] = []) throws {
    log = workspace.file(".serve-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    process.executableURL = URL(fileURLWithPath: mktBinary)
    process.arguments = ["serve", "--db", db, "--port", "0", "--rate-limit", "0"] + extra
    process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MKT_") }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
    let end = ContinuousClock.now + .seconds(30)
    var found: Int?
    while found == nil, ContinuousClock.now < end, process.isRunning {
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      if let range = text.range(of: "on http://127.0.0.1:") {
        found = Int(text[range.upperBound...].prefix { $0.isNumber })
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    port = found ?? 0
  }

  var base: String { "http://127.0.0.1:\(port)" }

  func signal(_ number: Int32) -> Int32 {
    kill(process.processIdentifier, number)
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Sends a request; `nil` when no answer came (the server was killed).
  func call(
    _ method: String, _ path: String, token: String?, body: Data? = nil,
    headers: [String: String] = [:]
  ) async -> Answer? {
    guard let url = URL(string: base + path) else { return nil }
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.httpBody = body
    request.timeoutInterval = 60
    if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    guard let (data, response) = try? await URLSession.shared.data(for: request),
      let http = response as? HTTPURLResponse
    else { return nil }
    return Answer(status: http.statusCode, body: data)
  }

  struct Answer: Sendable {
    var status: Int
    var body: Data

    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }
  }
}

@Suite(.serialized) struct ServeCommandTests {
  /// A shop: merchant kuechenwelt-de's example feed, a warehouse with stock, an all-scopes token.
  func shop() throws -> (Workspace, String) {
    let workspace = try Workspace.shop([
      (file: "kuechenwelt-de.xml", merchant: "kuechenwelt-de", more: ["--language", "de"])
    ])
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER", "--merchant", "kuechenwelt-de", "--country", "DE")
    try workspace.write("stock.csv", "sku,warehouse,quantity\nKWM-1001,BER,500\n")
    _ = try workspace.run("inventory", "sync", "stock.csv", "--merchant", "kuechenwelt-de")
    let token = try workspace.run(
      "token", "create", "--merchant", "kuechenwelt-de", "--scopes", "all", "--quiet"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return (workspace, token)
  }

  func order(_ index: Int) -> Data {
    Data(
      (#"{"customer":{"id":"C\#(index)","email":"c\#(index)@example.com"},"country":"DE","#
        + #""lines":[{"sku":"KWM-1001","quantity":2}],"payment":{"method":"card"}}"#).utf8)
  }

  @Test func sigtermLetsTheRequestInFlightFinishThenCheckpoints() throws {
    let (workspace, token) = try shop()
    var feed = "id,title,description,link,image_link,availability,price,brand\n"
    for index in 1...20_000 {
      feed +=
        "BULK-\(index),Schneidebrett \(index),Aus Eiche.,https://k.example/\(index),"
        + "https://cdn.k.example/\(index).jpg,in_stock,\(10 + index % 90).00 EUR,Küchenwerk\n"
    }
    // A deadline far beyond the import, so that only the in-flight rule is tested (a sanitizer
    // build imports 20,000 rows slower than the default 10 s).
    let server = try ServeProcess(
      workspace, extra: ["--log-level", "debug", "--shutdown-deadline", "600"])
    #expect(server.port > 0)
    // A raw connection: the whole upload is in the server's hands when the last write returns,
    // whatever else the test runner's shared HTTP client is doing.
    let upload = try #require(RawConnection(port: server.port))
    defer { upload.close() }
    let body = Array(feed.utf8)
    #expect(
      upload.sendAll(
        Array(
          ("PUT /v1/catalog?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer \(token)\r\nContent-Type: text/csv\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n").utf8) + body))
    // SIGTERM once the server has begun the upload ("request started", logged at debug) and
    // before it answered it (the access log line): a request the server has not read yet is
    // rightly dropped by a shutdown, this one must be finished.
    var started = false
    var answered = false
    for _ in 0..<3_000 where !started {
      let log = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
      started = log.contains("request started") && log.contains("method=PUT")
      answered = log.range(of: #"method=PUT.*status="#, options: .regularExpression) != nil
      if !started { Thread.sleep(forTimeInterval: 0.02) }
    }
    let inFlight = started && !answered
    #expect(server.signal(SIGTERM) == 0)
    let (answer, _) = upload.receive(seconds: 120)
    #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(300))")
    #expect(answer.contains("\"rows\":20000"))
    #expect(inFlight, "the upload was answered before SIGTERM: the test proved nothing")
    let wal = try? FileManager.default.attributesOfItem(atPath: workspace.file("mkt.db-wal"))[.size]
    #expect((wal as? NSNumber)?.intValue ?? 0 == 0)
    let count = try workspace.run("catalog", "stats", "--json").stdout
    #expect(count.contains("\"products\" : 20005"))  // the example feed's 5 and 20,000
  }

  @Test func aServerKilledDuringPlacementLosesNoOrderAndPlacesNoneTwice() async throws {
    let (workspace, token) = try shop()
    let server = try ServeProcess(workspace)
    let keys = (1...40).map { "kill-\($0)" }
    let requests = Task {
      await withTaskGroup(of: Void.self) { group in
        for (index, key) in keys.enumerated() {
          group.addTask {
            _ = await server.call(
              "POST", "/v1/orders", token: token, body: order(index),
              headers: ["Idempotency-Key": key])
          }
        }
      }
    }
    try await Task.sleep(for: .milliseconds(150))
    _ = server.signal(SIGKILL)
    await requests.value
    let again = try ServeProcess(workspace)
    var ids = Set<Int>()
    for (index, key) in keys.enumerated() {
      let answer = await again.call(
        "POST", "/v1/orders", token: token, body: order(index),
        headers: ["Idempotency-Key": key])
      #expect(answer?.status == 200 || answer?.status == 201, "\(key): \(answer?.json ?? [:])")
      if let id = answer?.json["order_id"] as? Int { ids.insert(id) }
    }
    #expect(ids.count == keys.count)
    _ = again.signal(SIGTERM)
    let list = try workspace.run("orders", "list", "--limit", "1000", "--json").stdout
    let orders = (try? JSONSerialization.jsonObject(with: Data(list.utf8))) as? [[String: Any]]
    #expect(orders?.count == keys.count)
    let stock = try workspace.run("inventory", "show", "KWM-1001", "--json").stdout
    #expect(stock.contains("420"))  // 500 on hand, 40 orders of 2 reserved
    #expect(try workspace.run("db", "check").status == 0)
  }

  @Test func aPushKilledAtRandomPointsEndsWithTheRemoteEqualToTheLocal() async throws {
    let remote = try Workspace.shop([])
    _ = try remote.run(
      "inventory", "warehouse", "add", "BER", "--merchant", "kuechenwelt-de", "--country", "DE")
    let token = try remote.run(
      "token", "create", "--merchant", "kuechenwelt-de", "--scopes", "all", "--quiet"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let server = try ServeProcess(remote)
    defer { _ = server.signal(SIGTERM) }
    let local = try Workspace.shop([])
    _ = try local.run(
      "inventory", "warehouse", "add", "BER", "--merchant", "kuechenwelt-de", "--country", "DE")
    var generator = SystemRandomNumberGenerator()
    func change(_ trial: Int) throws {
      var feed = "id,title,description,link,image_link,availability,price,brand\n"
      var stock = "sku,warehouse,quantity\n"
      for index in (1...60).shuffled(using: &generator).prefix(trial == 0 ? 60 : 12) {
        feed +=
          "P\(index),Topf \(index) v\(trial),Ein Topf.,https://k.example/p\(index),"
          + "https://cdn.k.example/p\(index).jpg,in_stock,\(20 + index).00 EUR,Küchenwerk\n"
        stock += "P\(index),BER,\(trial * 10 + index)\n"
      }
      try local.write("feed.csv", feed)
      try local.write("stock.csv", stock)
      #expect(try local.run("import", "feed.csv", "--merchant", "kuechenwelt-de").status == 0)
      #expect(
        try local.run("inventory", "sync", "stock.csv", "--merchant", "kuechenwelt-de").status
          == 0)
    }
    let push = ["push", "--to", server.base, "--token", token, "--batch-size", "4", "--quiet"]
    for trial in 0..<20 {
      try change(trial)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: mktBinary)
      process.arguments = push
      process.currentDirectoryURL = URL(fileURLWithPath: local.path)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &generator)))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let finish = try local.run(push)
      #expect(finish.status == 0, "trial \(trial): \(finish.stderr)")
      let mine = try local.run("catalog", "export", "--merchant", "kuechenwelt-de").stdout
      let theirs = try remote.run("catalog", "export", "--merchant", "kuechenwelt-de").stdout
      #expect(mine == theirs, "trial \(trial)")
      func levels(_ workspace: Workspace) throws -> [String] {
        try workspace.run("inventory", "export").stdout.split(separator: "\n").map {
          $0.split(separator: ",").prefix(4).joined(separator: ",")
        }.sorted()
      }
      #expect(try levels(local) == levels(remote), "trial \(trial)")
    }
    let status = try local.run("push", "status", "--json").stdout
    #expect(status.contains("\"pending\" : 0"))
  }
}

/// A raw TCP connection to 127.0.0.1, for what an HTTP client will not do.
struct RawConnection {
  let socket: Int32

  init?(port: Int) {
    let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      _ = Glibc.close(fd)
      return nil
    }
    socket = fd
  }

  func send(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { write(socket, $0.baseAddress, $0.count) } == text.utf8.count
  }

  /// What arrives until the server closes or `seconds` pass with nothing.
  func receive(seconds: Int) -> (text: String, closed: Bool) {
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(socket, &buffer, buffer.count)
      if count == 0 { return (String(decoding: bytes, as: UTF8.self), true) }
      if count < 0 { return (String(decoding: bytes, as: UTF8.self), false) }
      bytes += buffer.prefix(count)
      if let answer = Self.complete(bytes) { return (answer, false) }
    }
  }

  /// The answer in `bytes` once its head and all of its Content-Length have arrived.
  static func complete(_ bytes: [UInt8]) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let end = text.range(of: "\r\n\r\n") else { return nil }
    let head = text[..<end.lowerBound].lowercased()
    guard let field = head.range(of: "content-length: ") else { return nil }
    let length = Int(head[field.upperBound...].prefix { $0.isNumber }) ?? 0
    return text[end.upperBound...].utf8.count >= length ? text : nil
  }

  /// Writes all of `bytes`, however many writes it takes.
  func sendAll(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  /// Whether the server has closed the connection (without waiting).
  var isClosed: Bool {
    var byte: UInt8 = 0
    return recv(socket, &byte, 1, Int32(MSG_DONTWAIT)) == 0
  }

  func close() { _ = Glibc.close(socket) }
}

@Suite(.serialized) struct ServeConnectionTests {
  @Test func aClientSendingItsHeadersByTheByteIsCutOff() async throws {
    let workspace = try Workspace.shop([])
    let server = try ServeProcess(workspace, extra: ["--header-timeout", "1"])
    defer { _ = server.signal(SIGTERM) }
    let slow = try #require(RawConnection(port: server.port))
    defer { slow.close() }
    // A byte every 150 ms keeps the idle timeout away: only the head deadline can end this.
    // Judged by the server's act (the connection closed), not by this process's clock, which
    // the parallel suite can starve.
    var closed = false
    for byte in String(repeating: "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", count: 4) {
      if !slow.send(String(byte)) || slow.isClosed {
        closed = true
        break
      }
      try await Task.sleep(for: .milliseconds(150))
    }
    #expect(closed, "the server kept a connection whose head never ended")
    // The server still answers others.
    let fine = await server.call("GET", "/healthz", token: nil)
    #expect(fine?.status == 200)
  }

  @Test func aThousandConnectionsAtOnceAreServedAndTheServerLives() async throws {
    let workspace = try Workspace.shop([])
    let server = try ServeProcess(workspace)
    defer { _ = server.signal(SIGTERM) }
    // The thousand sockets are a Python child's: Foundation's Process.run reads past a buffer
    // when it lists /proc/self/fd with a thousand entries (AddressSanitizer, in the tests that
    // spawn processes meanwhile), so this process must not hold them.
    let client = """
      import socket, sys
      port, conns = int(sys.argv[1]), []
      for _ in range(1000):
          try:
              conns.append(socket.create_connection(("127.0.0.1", port), timeout=20))
          except OSError:
              pass
      for c in conns:
          c.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
      ok = 0
      for c in conns:
          data = b""
          try:
              while True:
                  chunk = c.recv(4096)
                  if not chunk:
                      break
                  data += chunk
          except OSError:
              pass
          ok += data.startswith(b"HTTP/1.1 200")
          c.close()
      print(len(conns), ok)
      """
    let run = try mkt(
      ["python3", "-c", client, String(server.port)], in: workspace.path,
      executable: "/usr/bin/env")
    let counts = run.stdout.split(separator: " ").compactMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(counts.count == 2, "\(run.stdout) \(run.stderr)")
    #expect((counts.first ?? 0) > 900)
    #expect(counts.first == counts.last)
    #expect(server.process.isRunning)
    #expect(await server.call("GET", "/readyz", token: nil)?.status == 200)
  }
}
