import Benchmark
import Foundation
import Importers
import Merchants
import MktCore
import Store

/// Data made by `Benchmarks/run.sh --swift` with gen.py (seed 42).
let dataDirectory = ProcessInfo.processInfo.environment["MKT_BENCH_DATA"] ?? "data"

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    maxDuration: .seconds(10), maxIterations: 20)

  // The CSV tokenizer alone over a 100k-row Merchant Center catalog (57 MB).
  Benchmark("CSVReader, catalog 100k rows") { benchmark in
    for _ in benchmark.scaledIterations {
      let reader = CSVReader(source: try ByteSource(path: dataDirectory + "/catalog-100k.csv"))
      var fields = 0
      while let record = try reader.next() { fields += record.fields.count }
      blackHole(fields)
    }
  }

  // Tokenizer plus records: header mapping, list splitting.
  Benchmark("ProductCSVReader, catalog 100k rows") { benchmark in
    for _ in benchmark.scaledIterations {
      let reader = try FeedReader(path: dataDirectory + "/catalog-100k.csv")
      var items = 0
      while let record = try reader.next() { items += record.values.count }
      blackHole(items)
    }
  }

  // Records plus Merchant Center validation: what `mkt feed check` does.
  Benchmark("FeedScan (read + validate), catalog 100k rows CSV") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FeedScan.run(path: dataDirectory + "/catalog-100k.csv", options: FeedOptions()))
    }
  }

  Benchmark("FeedScan (read + validate), catalog 100k items XML") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FeedScan.run(path: dataDirectory + "/catalog-100k.xml", options: FeedOptions()))
    }
  }

  // Validation, diff and one transaction for 10,000 merchants into a fresh in-memory store.
  Benchmark("merchant import, 10k rows") { benchmark in
    for _ in benchmark.scaledIterations {
      let service = MerchantService(store: try Store.inMemory())
      blackHole(try await service.importCSV(path: dataDirectory + "/merchants-10k.csv"))
    }
  }
}
