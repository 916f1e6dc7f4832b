import ArgumentParser
import Foundation
import Merchants
import MktCore

/// `mkt merchant`: the merchants who sell on the marketplace.
struct MerchantCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merchant",
    abstract: "Add, list, show, remove and bulk-import merchants.",
    subcommands: [
      MerchantAddCommand.self, MerchantListCommand.self, MerchantShowCommand.self,
      MerchantRemoveCommand.self, MerchantImportCommand.self,
    ])

  /// The columns `list` prints, and the lines `show` prints.
  static var columns: [(String, (Merchant) -> String)] {
    [
      ("id", \.id), ("name", \.name), ("country", \.country.rawValue),
      ("currency", \.currency.rawValue), ("prices", \.priceBasis.rawValue),
      ("domain", { $0.domain ?? "" }),
    ]
  }

  static func describe(_ merchant: Merchant) -> String {
    (columns.map { name, value in
      name.padding(toLength: 9, withPad: " ", startingAt: 0) + value(merchant)
    }
      + [
        "created  \(merchant.createdAt ?? "")", "updated  \(merchant.updatedAt ?? "")",
      ]).joined(separator: "\n")
  }
}
