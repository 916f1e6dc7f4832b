import Foundation
import MktCore
import Testing

@testable import Catalog

/// Download files beside the database, and the rules of redirects.
@Suite struct FetchSpoolTests {
  let folder: String

  init() throws {
    folder = NSTemporaryDirectory() + "mkt-spool-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  func names() throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: folder))
  }

  @Test func aDownloadFileIsNamedAfterTheDatabaseAndThisProcess() throws {
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let spool = FetchSpool(beside: folder + "/shop.db")
    let file = try spool.create()
    let name = URL(fileURLWithPath: file.path).lastPathComponent
    #expect(name.hasPrefix("shop.db.fetch-\(getpid())-"))
    #expect(name.hasSuffix(".partial"))
    #expect(FetchSpool.owner(of: name, prefix: "shop.db") == getpid())
    #expect(FetchSpool.live.contains(file.path))
    file.remove()
    #expect(try names().isEmpty)
    #expect(!FetchSpool.live.contains(file.path))
  }

  @Test func onlyTheFilesOfProcessesThatAreGoneAreSwept() throws {
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let dead = "shop.db.fetch-\(ended.processIdentifier)-0000beef.partial"
    let alive = "shop.db.fetch-\(getppid())-0000cafe.partial"
    let other = "other.db.fetch-\(ended.processIdentifier)-0000beef.partial"
    for name in [dead, alive, other, "shop.db", "shop.db-wal", "shop.db.fetch-1-x.partial"] {
      #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()))
    }
    FetchSpool(beside: folder + "/shop.db").sweep()
    #expect(
      try names() == [alive, other, "shop.db", "shop.db-wal", "shop.db.fetch-1-x.partial"])
  }

  @Test(
    arguments: [
      ("shop.db.fetch-123-0000beef.partial", 123),
      ("shop.db.fetch-123-0000beef.partial.x", nil),
      ("shop.db.fetch--0000beef.partial", nil),
      ("shop.db.fetch-12a-0000beef.partial", nil),
      ("shop.db.fetch-123-beef.partial", nil),
      ("shop.db.fetch-123-0000beef-1.partial", nil),
      ("shop.dbx.fetch-123-0000beef.partial", nil),
    ] as [(String, Int32?)])
  func spoolNamesAreRecognisedExactly(name: String, pid: Int32?) {
    #expect(FetchSpool.owner(of: name, prefix: "shop.db") == pid)
  }

  @Test(arguments: [
    "file:///etc/passwd", "ftp://127.0.0.1/feed.csv", "data:text/csv,id", "gopher://x/",
    "javascript:alert(1)", "file:/etc/passwd",
  ])
  func redirectsLeadOnlyToHTTP(location: String) throws {
    let from = try #require(URL(string: "http://127.0.0.1:8080/feed.csv"))
    do {
      let target = try FeedFetcher.redirect(location, from: from, source: from.absoluteString)
      Issue.record("followed to \(target)")
    } catch {
      guard case .redirectRefused(_, let target) = error else {
        Issue.record("\(error)")
        return
      }
      let scheme = try #require(location.split(separator: ":").first)
      #expect(target.hasPrefix(scheme + ":"))
      #expect(error.description.hasSuffix("which is not http(s); not followed"))
      #expect(error.exitStatus.rawValue == 69)
    }
  }

  @Test(arguments: [
    ("/other.csv", "http://127.0.0.1:8080/other.csv"),
    ("next.csv", "http://127.0.0.1:8080/next.csv"),
    ("https://cdn.example/feed.csv", "https://cdn.example/feed.csv"),
    ("HTTP://cdn.example/feed.csv", "HTTP://cdn.example/feed.csv"),
  ])
  func httpRedirectsResolveAgainstTheRequest(location: String, expected: String) throws {
    let from = try #require(URL(string: "http://127.0.0.1:8080/feed.csv"))
    let target = try FeedFetcher.redirect(location, from: from, source: from.absoluteString)
    #expect(target.absoluteString == expected)
  }

  @Test func aRedirectTargetIsShownWithoutControlCharacters() {
    #expect(FeedFetcher.printable("file:///x\u{1B}[2J\n") == "file:///x\\u{1b}[2J\\u{a}")
    #expect(FeedFetcher.printable(String(repeating: "a", count: 300)).count == 201)
  }

  @Test func capsAreShownInBytesAndBinaryUnits() {
    #expect(FetchError.size(1_000_000) == "1000000 bytes")
    #expect(FetchError.size(64 << 20) == "67108864 bytes (64 MiB)")
    #expect(FetchError.size(2 << 30) == "2147483648 bytes (2 GiB)")
  }
}
