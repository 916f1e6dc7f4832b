import Foundation
public import Fraud
import GRDB
import Importers
import MktCore
import Store

/// What `mkt fraud label import` did.
public struct LabelImport: Sendable, Equatable, Encodable {
  /// Labels applied, of fraud and not.
  public var fraud = 0
  public var good = 0
  /// Rows naming no known order, or with a bad value: `file:line: why`.
  public var errors: [String] = []
  public var applied = false
}

extension OrderService {
  /// Orders from a labelled NDJSON file (gen.py's order format with `label_fraud` 0/1), as
  /// the fraud module sees them, priced as placement would price them against the store's
  /// catalog; an order whose products or merchant the store lacks counts without an amount.
  ///
  /// - Throws: ``FraudError/invalidLabels(_:message:)`` (65) for a line that is not an order.
  public func fraudCases(path: String) async throws -> [FraudCase] {
    let source = try ByteSource(path: path)
    let reader = LineReader(source: source)
    var parsed: [(OrderRequest, Bool?, Int)] = []
    let decoder = JSONDecoder()
    var number = 0
    var failure: (any Error)?
    while try reader.next({ line in
      number += 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
      let data = Data(line)
      do {
        let request = try decoder.decode(OrderRequest.self, from: data)
        let label = try decoder.decode(Labelled.self, from: data).label
        parsed.append((request, label, number))
      } catch {
        failure = error
      }
    }) {
      if let failure {
        throw FraudError.invalidLabels(
          InputLocation(file: path, line: number), message: "not an order: \(failure)")
      }
    }
    let requests = parsed
    return try await store.read { [self] db in
      try requests.map { request, label, line in
        let validated: Validated
        do {
          var request = request
          // gen.py writes the merchant's currency; the fraud module needs the amount only.
          request.currency = nil
          validated = try validate(request)
        } catch {
          throw FraudError.invalidLabels(InputLocation(file: path, line: line), message: "\(error)")
        }
        let priced =
          (try? price(validated, db))
          ?? Priced(
            splitLines: false,
            lines: validated.request.lines.map {
              Priced.Line(
                sku: $0.sku, title: "", quantity: $0.quantity, unit: 0, total: 0, vat: 0,
                vatRate: "")
            }, subtotal: 0, vat: 0, discount: 0, shipping: 0, total: 0, totalEuroCents: 0,
            codes: [])
        return FraudCase(
          key: request.idempotencyKey, order: Self.fraudFacts(validated, priced), label: label)
      }
    }
  }

  /// `label_fraud` of a gen.py order: 0 or 1 (or false/true).
  private struct Labelled: Decodable {
    var label: Bool?

    enum CodingKeys: String, CodingKey { case label = "label_fraud" }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      if let number = try? container.decodeIfPresent(Int.self, forKey: .label) {
        label = number != 0
      } else {
        label = try container.decodeIfPresent(Bool.self, forKey: .label)
      }
    }
  }

  /// Labels orders from a CSV of chargebacks, or a fraud team's verdicts.
  ///
  /// Columns: `order_id` or
  /// `idempotency_key` (with `merchant` when keys repeat across merchants), `fraud` (1 or 0,
  /// yes/no, true/false; 1 when the column is absent) and `note`. Nothing is applied when
  /// more than `maxErrors` rows name no order or hold a bad value.
  public func importLabels(path: String, maxErrors: Int = 0, dryRun: Bool = false) async throws
    -> LabelImport
  {
    let reader = CSVReader(source: try ByteSource(path: path))
    guard let header = try reader.next() else {
      throw FraudError.invalidLabels(InputLocation(file: path), message: "the file is empty")
    }
    let names = CSVHeader(header.fields).names
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }
    guard column("order_id") != nil || column("idempotency_key") != nil else {
      throw FraudError.invalidLabels(
        InputLocation(file: path, line: header.line),
        message: "the header names neither order_id nor idempotency_key (found: "
          + names.joined(separator: ", ") + ")")
    }
    var read: [(CSVRecord, [String: String])] = []
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      var cells: [String: String] = [:]
      for (index, name) in names.enumerated() where index < record.fields.count {
        cells[name] = record.fields[index].trimmingCharacters(in: .whitespaces)
      }
      read.append((record, cells))
    }
    let rows = read
    let now = UTCTime.iso(store.clock.now())
    return try await store.write(durability) { db in
      var summary = LabelImport()
      var labels: [(Int64, Bool, String)] = []
      for (record, cells) in rows {
        let here = "\(path):\(record.line)"
        var fraud = true
        if let text = cells["fraud"], !text.isEmpty {
          switch text.lowercased() {
          case "1", "yes", "true": fraud = true
          case "0", "no", "false": fraud = false
          default:
            summary.errors.append("\(here): fraud must be 1 or 0, not '\(text)'")
            continue
          }
        }
        let id: Int64?
        if let text = cells["order_id"], !text.isEmpty {
          id = try Int64(text).flatMap {
            try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE id = ?", arguments: [$0])
          }
        } else if let key = cells["idempotency_key"], !key.isEmpty {
          let found = try Int64.fetchAll(
            db,
            sql: """
              SELECT id FROM orders WHERE idempotency_key = ? AND (?2 IS NULL OR merchant_id = ?2)
              LIMIT 2
              """, arguments: [key, cells["merchant"].flatMap { $0.isEmpty ? nil : $0 }])
          if found.count > 1 {
            summary.errors.append("\(here): key \(key) is used by several merchants: add merchant")
            continue
          }
          id = found.first
        } else {
          id = nil
        }
        guard let id else {
          summary.errors.append(
            "\(here): no order "
              + (cells["order_id"].flatMap { $0.isEmpty ? nil : $0 }
                ?? cells["idempotency_key"] ?? ""))
          continue
        }
        labels.append((id, fraud, cells["note"] ?? ""))
      }
      guard summary.errors.count <= maxErrors, !dryRun else { return summary }
      for (id, fraud, note) in labels {
        try FraudService.label(
          id, fraud: fraud, source: fraud ? "chargeback" : "import", note: note, at: now, db)
        if fraud { summary.fraud += 1 } else { summary.good += 1 }
      }
      summary.applied = true
      return summary
    }
  }
}
