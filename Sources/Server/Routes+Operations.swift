import Foundation
import HTTPTypes
import Hummingbird
import MktCore
import NIOCore
import Store
import Yams

extension MktServer {
  /// `/healthz`, `/readyz`, `/metrics`, `/openapi.json`: open to anyone, no token.
  func routeOperations(_ book: RouteBook) {
    book.open(.get, "/healthz") { _, _ in
      try JSONBody.response(["status": "ok"])
    }
    book.open(.get, "/readyz") { [store] _, _ in
      let version = try await store.appliedSchemaVersion()
      guard version == Store.schemaVersion else {
        throw Problem(
          .serviceUnavailable,
          "the database is at schema \(version), this mkt expects \(Store.schemaVersion)",
          code: .tempFail)
      }
      return try JSONBody.response(["status": "ready", "schema_version": String(version)])
    }
    book.open(.get, "/metrics") { [metrics] _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: metrics.text())))
    }
    book.open(.get, "/openapi.json") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.json())))
    }
  }
}

/// The OpenAPI 3.1 document, `docs/openapi.yaml`, compiled in.
public enum OpenAPIDocument {
  /// The document as YAML, as committed.
  public static var yaml: String { String(decoding: PackageResources.openapi_yaml, as: UTF8.self) }

  /// The document as JSON, for `GET /openapi.json`.
  public static func json() throws -> [UInt8] {
    let object = try Yams.load(yaml: yaml) ?? [:]
    return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
  }

  /// Each operation the document declares, as `GET /v1/products`.
  public static func operations() throws -> [ServedRoute] {
    guard let document = try Yams.load(yaml: yaml) as? [String: Any],
      let paths = document["paths"] as? [String: Any]
    else { return [] }
    let methods = ["get", "put", "post", "delete", "patch"]
    return paths.flatMap { path, item in
      ((item as? [String: Any]) ?? [:]).keys.filter(methods.contains).map {
        ServedRoute(method: $0.uppercased(), path: path)
      }
    }.sorted()
  }
}
