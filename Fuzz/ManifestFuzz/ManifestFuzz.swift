import Catalog
import Foundation
import Importers
import MktCore

// `ManifestEntry.read(path:)` (Sources/Platform/Catalog/Manifest.swift) is the only way in: it
// takes a path, so each input is written to one temp file per process, reused for every run.
// The file is removed when the fuzzer exits normally.
let manifestPath = "/tmp/mkt-manifest-fuzz-\(getpid()).csv"
let manifestFD: CInt = {
  let fd = open(manifestPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  atexit { unlink(manifestPath) }
  return fd
}()

/// Import manifests (`mkt import --manifest`, CSV `merchant_id,source[,format,mode,language]`)
/// through the reader, with the messages the command prints for an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0, manifestFD >= 0 else { return 0 }
  guard ftruncate(manifestFD, 0) == 0, pwrite(manifestFD, data, size, 0) == size else {
    fatalError("cannot write \(manifestPath)")
  }
  do {
    for entry in try ManifestEntry.read(path: manifestPath) {
      _ = (entry.merchant.count, entry.source.count, entry.format, entry.mode, entry.language)
    }
  } catch let error as ManifestError {
    _ = (error.description, error.location.map { "\($0)" }, error.hint)
  } catch {
    _ = "\(error)"
  }
  return 0
}
