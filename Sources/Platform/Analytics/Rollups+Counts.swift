import Foundation
import GRDB

/// The keys and counts a batch keeps its rollups by.
extension RollupBatch {
  struct DayKey: Hashable, FastKey {
    var day: Int64
    var segment: Int64

    var fastHash: UInt64 { fastMix(day, segment) }
  }
  struct DayCounts {
    var pageViews: Int64 = 0
    var productViews: Int64 = 0
    var carts: Int64 = 0
    var purchases: Int64 = 0
    var searches: Int64 = 0
    var sessions: Int64 = 0
    var viewSessions: Int64 = 0
    var cartSessions: Int64 = 0
    var purchaseSessions: Int64 = 0
    var visitors: Int64 = 0
  }
  struct Triple: Hashable, FastKey {
    var day: Int64
    var a: Int64
    var b: Int64

    var fastHash: UInt64 { fastMix(day, a, b) }
  }
  struct ProductCounts {
    var views: Int64 = 0
    var carts: Int64 = 0
    var purchases: Int64 = 0
    var revenue: Int64 = 0
  }
  struct QueryCounts {
    var searches: Int64 = 0
    var zeroResults: Int64 = 0
    var clicks: Int64 = 0
  }
  struct ExperimentKey: Hashable {
    var experiment: Int64
    var variant: Int64
    var day: Int64
    var user: Int64
    var currency: Int64
  }
}
