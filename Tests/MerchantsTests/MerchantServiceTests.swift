import Foundation
import Merchants
import MktCore
import Store
import Testing

/// Writes `text` to a temporary CSV file and returns its path.
func csvFile(_ text: String, name: String = "merchants.csv") throws -> String {
  let directory = NSTemporaryDirectory() + "mkt-merchants-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let path = directory + "/" + name
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

@Suite struct MerchantServiceTests {
  let service: MerchantService
  init() throws { service = MerchantService(store: try Store.inMemory()) }

  @Test func addsShowsListsAndRemoves() async throws {
    let merchant = try MerchantService.merchant(
      id: "acme-ch", name: "ACME Schweiz", country: "ch", currency: nil, prices: "net",
      domain: "ACME.ch")
    let added = try await service.add(merchant)
    #expect(added.currency.rawValue == "CHF")
    #expect(added.priceBasis == .net)
    #expect(added.domain == "acme.ch")
    #expect(added.createdAt != nil)
    #expect(try await service.merchant(id: "acme-ch") == added)
    #expect(try await service.list().map(\.id) == ["acme-ch"])
    #expect(try await service.remove(id: "acme-ch").id == "acme-ch")
    #expect(try await service.count() == 0)
  }

  @Test func refusesADuplicateAndAnUnknownId() async throws {
    let merchant = try MerchantService.merchant(
      id: "M1", name: "One", country: "DE", currency: nil, prices: nil, domain: nil)
    _ = try await service.add(merchant)
    await #expect(throws: MerchantError.alreadyExists(id: "M1")) { try await service.add(merchant) }
    await #expect(throws: MerchantError.notFound(id: "M9")) { try await service.merchant(id: "M9") }
    await #expect(throws: MerchantError.notFound(id: "M9")) { try await service.remove(id: "M9") }
  }

  @Test(arguments: [
    ("M1", "One", "US", "EUR", "unknown-country"), ("M1", "One", "DE", "USD", "unknown-currency"),
    ("-bad", "One", "DE", "EUR", "invalid-id"), ("M1", " ", "DE", "EUR", "missing-name"),
  ])
  func invalidFieldsNameTheRuleAndTheValidSet(
    id: String, name: String, country: String, currency: String, rule: String
  ) throws {
    do {
      _ = try MerchantService.merchant(
        id: id, name: name, country: country, currency: currency, prices: nil, domain: nil)
      Issue.record("expected an error")
    } catch {
      guard case .invalidField(let issue) = error else { throw error }
      #expect(issue.rule == rule)
      if rule == "unknown-country" { #expect(error.hint?.contains("DE, AT, CH") == true) }
      #expect(error.exitStatus == .dataError)
    }
  }
}

@Suite struct MerchantImportTests {
  let store: Store
  let service: MerchantService
  init() throws {
    store = try Store.inMemory()
    service = MerchantService(store: store)
  }

  static let feed = """
    id,name,country,currency,domain
    M001,Skyvana Shop,FR,EUR,skyvana-shop.fr
    M002,Bradex Shop,DE,,bradex-shop.de
    M003,"Kelwood, Ltd",GB,GBP,kelwood-shop.co.uk

    """

  @Test func importsThenReportsEverythingUnchangedTheSecondTime() async throws {
    let path = try csvFile(Self.feed)
    let first = try await service.importCSV(path: path)
    #expect((first.rows, first.inserted, first.updated, first.unchanged) == (3, 3, 0, 0))
    #expect(try await service.merchant(id: "M002").currency.rawValue == "EUR")
    #expect(try await service.merchant(id: "M003").name == "Kelwood, Ltd")
    let second = try await service.importCSV(path: path)
    #expect((second.inserted, second.updated, second.unchanged) == (0, 0, 3))
  }

  @Test func dryRunComputesTheDiffAndWritesNothing() async throws {
    let summary = try await service.importCSV(
      path: try csvFile(Self.feed), options: ImportOptions(dryRun: true))
    #expect(summary.inserted == 3)
    #expect(summary.dryRun)
    #expect(try await service.count() == 0)
  }

  @Test func blankCellsKeepAndEmptyMarkerClears() async throws {
    _ = try await service.importCSV(path: try csvFile(Self.feed))
    let change = try csvFile("id,name,country,domain\nM001,,,__EMPTY__\nM002,Bradex GmbH,,\n")
    let summary = try await service.importCSV(path: change)
    #expect((summary.updated, summary.unchanged) == (2, 0))
    let m1 = try await service.merchant(id: "M001")
    #expect(m1.name == "Skyvana Shop")
    #expect(m1.domain == nil)
    let m2 = try await service.merchant(id: "M002")
    #expect(m2.name == "Bradex GmbH")
    #expect(m2.domain == "bradex-shop.de")
  }

  @Test func emptyMeansClearClearsOptionalFieldsAndRejectsRequiredOnes() async throws {
    _ = try await service.importCSV(path: try csvFile(Self.feed))
    let change = try csvFile("id,name,country,domain\nM001,Skyvana,FR,\nM002,,DE,x.de\n")
    await #expect(throws: ImportError.self) {
      try await service.importCSV(path: change, options: ImportOptions(emptyCells: .clear))
    }
    let summary = try await service.importCSV(
      path: change, options: ImportOptions(maxErrors: 1, emptyCells: .clear))
    #expect(summary.rejected == 1)
    #expect(summary.issues.map(\.rule) == ["missing-name"])
    #expect(try await service.merchant(id: "M001").domain == nil)
  }

  @Test func replaceRemovesMerchantsAbsentFromTheFileAndDeleteRemovesListedOnes() async throws {
    _ = try await service.importCSV(path: try csvFile(Self.feed))
    let replaced = try await service.importCSV(
      path: try csvFile("id,name,country\nM001,Skyvana Shop,FR\n"),
      options: ImportOptions(mode: .replace))
    #expect((replaced.removed, replaced.unchanged) == (2, 1))
    #expect(try await service.list().map(\.id) == ["M001"])
    let deleted = try await service.importCSV(
      path: try csvFile("id\nM001\nM404\n"), options: ImportOptions(mode: .delete))
    #expect((deleted.removed, deleted.unchanged) == (1, 1))
    #expect(try await service.count() == 0)
  }

  @Test func badRowsAreAllReportedWithLineAndColumnAndNothingIsWritten() async throws {
    let path = try csvFile(
      """
      id,name,country,currency
      M001,Good Shop,DE,EUR
      M002,Ragged Shop,DE
      M003,Far Away Shop,US,USD
      M001,Twice Shop,FR,EUR

      """)
    do {
      _ = try await service.importCSV(path: path)
      Issue.record("expected the import to abort")
    } catch let error as ImportError {
      guard case .tooManyErrors(_, let rejected, _, let issues) = error else { return }
      #expect(rejected == 3)
      #expect(
        issues.map(\.rule) == ["ragged-row", "unknown-country", "unknown-currency", "duplicate-id"])
      #expect(issues.map(\.location.line) == [3, 4, 4, 5])
      #expect(issues[1].location.column == 3)
      #expect(issues[1].location.file == path)
      #expect(issues[3].message == "merchant M001 is already on line 2")
    }
    #expect(try await service.count() == 0)
    let summary = try await service.importCSV(path: path, options: ImportOptions(maxErrors: 3))
    #expect((summary.inserted, summary.rejected) == (1, 3))
  }

  @Test func aBadHeaderStopsBeforeAnyRow() async throws {
    await #expect(throws: MerchantError.self) {
      try await service.importCSV(path: try csvFile("id,name,country,curency\nM1,A,DE,EUR\n"))
    }
    await #expect(throws: MerchantError.self) {
      try await service.importCSV(path: try csvFile("id,country\nM1,DE\n"))
    }
  }

  @Test func readsTheGeneratorsMerchantsFile() async throws {
    let generated = """
      id,name,country,currency,domain
      M001,Skyvana Shop,FR,EUR,skyvana-shop.fr
      M012,Bralia Shop,DK,DKK,bralia-shop.dk
      """
    let summary = try await service.importCSV(path: try csvFile(generated))
    #expect(summary.inserted == 2)
    #expect(try await service.merchant(id: "M012").currency.rawValue == "DKK")
  }
}
