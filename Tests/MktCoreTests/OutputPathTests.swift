import Foundation
import MktCore
import Testing

/// Hardening class 1: no output path replaces the database, a companion file or a device.
@Suite struct OutputPathTests {
  let folder: String

  init() throws {
    folder = NSTemporaryDirectory() + "mkt-output-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data("SQLite format 3\0 rest of a page".utf8).write(
      to: URL(fileURLWithPath: folder + "/shop.db"))
  }

  @Test(arguments: [
    "shop.db", "shop.db-wal", "shop.db-shm", "shop.db-journal", "shop.db.lock",
    "shop.db.sync.lock",
  ])
  func theDatabaseAndItsCompanionsAreRefusedEvenBeforeTheyExist(name: String) {
    #expect(throws: OutputPathError.self) {
      try OutputPath.check(folder + "/" + name, protecting: [folder + "/shop.db"])
    }
  }

  @Test func anotherSpellingOrALinkToTheDatabaseIsRefused() throws {
    #expect(throws: OutputPathError.self) {
      try OutputPath.check(folder + "/./shop.db", protecting: [folder + "/shop.db"])
    }
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/link.csv", withDestinationPath: folder + "/shop.db")
    #expect(throws: OutputPathError.self) {
      try OutputPath.check(folder + "/link.csv", protecting: [])
    }
  }

  @Test func anySQLiteDatabaseIsRefusedUnlessABackupMayReplaceIt() throws {
    #expect(throws: OutputPathError.self) { try OutputPath.check(folder + "/shop.db") }
    let backup = try OutputPath.check(folder + "/shop.db", replacingDatabases: true)
    #expect(backup == .replace(path: folder + "/shop.db"))
  }

  @Test func devicesAndPipesAreWrittenInPlace() throws {
    #expect(try OutputPath.check("/dev/null") == .inPlace(path: "/dev/null"))
    #expect(try OutputPath.check("/dev/stdout") == .inPlace(path: "/dev/stdout"))
    #expect(mkfifo(folder + "/pipe", 0o600) == 0)
    #expect(try OutputPath.check(folder + "/pipe") == .inPlace(path: folder + "/pipe"))
  }

  @Test func aMissingDirectoryIsNamedAndADirectoryRefused() throws {
    #expect(
      throws: OutputPathError.missingDirectory(
        path: "/nonexistent/dir/x", directory: "/nonexistent/dir")
    ) {
      try OutputPath.check("/nonexistent/dir/x")
    }
    let error = #expect(throws: OutputPathError.self) { try OutputPath.check(folder) }
    #expect(error?.exitStatus == .cantCreate)
    #expect(try OutputPath.check(folder + "/new.csv") == .replace(path: folder + "/new.csv"))
  }
}
