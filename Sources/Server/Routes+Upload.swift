import Access
import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Importers
import MktCore
import NIOCore
import Remote

extension MktServer {
  /// Catalog uploads (`PUT /v1/catalog`) and the hashes a push compares before sending.
  func routeUpload(_ book: RouteBook) {
    book.guarded(.put, "/v1/catalog", .catalogWrite) {
      [store, options, metrics] request, _, grant in
      guard let merchant = try Ownership.merchant(request.query("merchant"), for: grant) else {
        throw Problem.badRequest(
          "merchant is missing (an operator token names it)", location: "merchant")
      }
      let key = request.headers[.idempotencyKey]
      let receipts = Receipts(store: store)
      if let key,
        let stored = try await receipts.answer(
          merchant: merchant, key: key, route: "PUT /v1/catalog")
      {
        return Response(
          status: .init(code: stored.status), headers: [.contentType: "application/json"],
          body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
      }
      let feed = try Self.feedOptions(request, merchant: merchant)
      let contract = try Self.importOptions(request)
      let spool = try await Self.spool(request, limit: options.maxFeed)
      defer { try? FileManager.default.removeItem(atPath: spool) }
      let summary: ImportSummary
      do {
        summary = try await CatalogService(store: store).importFeed(
          path: spool, feed: feed, options: contract)
        metrics.upload("catalog", outcome: "applied")
      } catch {
        metrics.upload("catalog", outcome: "refused")
        throw error
      }
      let response = try JSONBody.response(summary)
      if let key, !contract.dryRun {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await receipts.record(
          merchant: merchant, key: key, route: "PUT /v1/catalog", status: 200,
          body: Array(try encoder.encode(summary)))
      }
      return response
    }
    book.guarded(.post, "/v1/products/hashes", .catalogRead) { [store, options] request, _, grant in
      let object = try JSONBody.object(
        try await JSONBody.bytes(request, limit: options.maxUpload),
        shape: .object(["merchant": .value, "ids": .value]))
      guard let merchant = try Ownership.merchant(object["merchant"] as? String, for: grant)
      else {
        throw Problem.badRequest("merchant is missing", location: "merchant")
      }
      guard let ids = object["ids"] as? [String], ids.count <= 100_000 else {
        throw Problem.badRequest(
          "ids must be a list of at most 100,000 product ids", location: "ids")
      }
      let hashes = try await CatalogService(store: store).contentHashes(
        merchant: merchant, ids: ids)
      return try JSONBody.response(["hashes": hashes.mapValues(String.init)])
    }
  }

  /// The feed's format, language and currency from the query.
  static func feedOptions(_ request: Request, merchant: String) throws -> FeedOptions {
    let format = try request.query("format").map { text in
      guard let format = FeedFormat(rawValue: text) else {
        throw Problem.badRequest(
          "unknown format \(text) (valid: "
            + FeedFormat.allCases.map(\.rawValue).joined(separator: ", ") + ")", location: "format")
      }
      return format
    }
    return FeedOptions(
      format: format, merchant: merchant, language: request.query("language"),
      currency: request.query("currency"))
  }

  /// The import contract from the query: mode, dry run, error budget, empty cells.
  static func importOptions(_ request: Request) throws -> ImportOptions {
    var contract = ImportOptions()
    if let mode = request.query("mode") {
      guard let parsed = ImportMode(rawValue: mode) else {
        throw Problem.badRequest(
          "mode must be upsert, replace or delete (found \(mode))", location: "mode")
      }
      contract.mode = parsed
    }
    if let cells = request.query("empty-cells") {
      guard let parsed = EmptyCellPolicy(rawValue: cells) else {
        throw Problem.badRequest(
          "empty-cells must be keep or clear (found \(cells))", location: "empty-cells")
      }
      contract.emptyCells = parsed
    }
    contract.dryRun = try request.flag("dry-run")
    contract.maxErrors = try request.query("max-errors", in: 0...Int(Int32.max), default: 0)
    return contract
  }

  /// Streams the body into a spool file (never all of it in memory), at most `limit` bytes.
  static func spool(_ request: Request, limit: Int) async throws -> String {
    let path = NSTemporaryDirectory() + "mkt-upload-" + UUID().uuidString
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw Problem(.internalServerError, "cannot create an upload spool file", code: .cantCreate)
    }
    defer { try? handle.close() }
    var written = 0
    do {
      for try await buffer in request.body {
        written += buffer.readableBytes
        guard written <= limit else {
          throw Problem(
            .contentTooLarge, "the feed is larger than \(limit) bytes", code: .dataError,
            hint: "mkt serve --max-feed sets the limit")
        }
        try handle.write(contentsOf: Data(buffer.readableBytesView))
      }
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
    return path
  }
}
