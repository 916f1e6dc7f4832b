import CCurl
import Foundation

/// One HTTP request of a fetch, run by libcurl on a thread of its own: streams the body into
/// its sink as it arrives, stops at the byte cap, at the deadline or when the calling task is
/// cancelled, and follows no redirect (the fetcher checks and follows them itself).
///
/// Why libcurl itself and not `URLSession` (which is libcurl underneath on Linux): verified
/// with Swift 6.3, swift-corelibs-foundation's `URLSession` does not enforce
/// `timeoutIntervalForResource` (a server sending a byte a second is never timed out), hands
/// the body to its delegate through an unbounded queue (a 4 MB gzip bomb became 4.5 GB of
/// memory before a cap in the delegate could act), keeps a redirect's body in memory, and
/// rewrites a redirect to `file:///etc/passwd` into a request for `/etc/passwd` on the same
/// http host. libcurl's write callback runs in step with the download, so a cap holds memory
/// to one buffer, and `CURLOPT_TIMEOUT_MS` bounds connect, idle and total time at once.
final class FetchTransfer: @unchecked Sendable {
  // SAFETY: libcurl calls the callbacks on the transfer's own thread while `perform` runs, and
  // only they touch the response, the body and the sink; `stopped` is shared with the
  // cancelling task and read and written under `lock` only.

  /// Where the body goes.
  enum Sink: Sendable {
    /// A spool file beside the database.
    case file(FetchSpoolFile)
    /// Memory, returned in ``Outcome/body``.
    case memory
  }

  /// How one request ended.
  struct Outcome: Sendable {
    /// The answer's head; `nil` when none came.
    var response: FetchResponse?
    /// The body, with a memory sink and a 2xx answer.
    var body: [UInt8] = []
    /// Why the request ended early; `nil` when it completed (a non-2xx answer completes
    /// without its body).
    var failure: Failure?
  }

  /// Why a request ended early.
  enum Failure: Sendable, Equatable {
    case timedOut
    case cancelled
    case tooLarge(announced: Int64?)
    case write(FetchError)
    case transport(String)
  }

  private let lock = NSLock()
  private let sink: Sink
  private let cap: Int64
  private let deadline: ContinuousClock.Instant
  private var stopped = false
  private var received: Int64 = 0
  private var body: [UInt8] = []
  /// The head being read; complete once `headComplete`.
  private var response: FetchResponse?
  private var headComplete = false
  /// A non-2xx answer: its head is all the fetcher needs.
  private var skipBody = false
  private var failure: Failure?

  private init(sink: Sink, cap: Int64, deadline: ContinuousClock.Instant) {
    self.sink = sink
    self.cap = cap
    self.deadline = deadline
  }

  /// GETs `url` with the extra `headers` ("Name: value") and reads the answer until it is
  /// complete, `cap` bytes are exceeded, `deadline` passes or the calling task is cancelled,
  /// whichever comes first.
  static func run(
    _ url: URL, headers: [String], into sink: Sink, cap: Int64,
    deadline: ContinuousClock.Instant
  ) async -> Outcome {
    let transfer = FetchTransfer(sink: sink, cap: cap, deadline: deadline)
    let address = url.absoluteString
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        // libcurl blocks: on a thread of its own, not one of the few of the task pool.
        let thread = Thread {
          continuation.resume(returning: transfer.perform(address, headers: headers))
        }
        thread.name = "mkt fetch"
        thread.start()
      }
    } onCancel: {
      transfer.stop()
    }
  }

  /// Asks the transfer to end; libcurl notices within a second (its progress callback).
  private func stop() {
    lock.lock()
    defer { lock.unlock() }
    stopped = true
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  /// libcurl's global set-up, once per process.
  private static let initialized = mkt_curl_global_init() == CURLE_OK

  /// The blocking transfer.
  private func perform(_ address: String, headers: [String]) -> Outcome {
    guard Self.initialized, let handle = mkt_curl_easy_init() else {
      return Outcome(failure: .transport(String(cString: mkt_curl_init_error())))
    }
    defer { mkt_curl_easy_cleanup(handle) }
    var list: UnsafeMutablePointer<curl_slist>?
    for header in headers { list = mkt_curl_slist_append(list, header) }
    defer { mkt_curl_slist_free_all(list) }
    // libcurl's own limit for connect, idle and total time; the progress callback checks the
    // same deadline at least once a second.
    let milliseconds = Int(min(max(1, (deadline - .now) / .milliseconds(1)), 1e12))
    var message = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let context = Unmanaged.passUnretained(self).toOpaque()
    let code = message.withUnsafeMutableBufferPointer { buffer -> CURLcode in
      // libcurl copies the strings it is given.
      mkt_curl_set_basics(handle, address, milliseconds, buffer.baseAddress)
      // Every encoding libcurl can undo; the callbacks see the decoded bytes.
      _ = mkt_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
      _ = mkt_curl_set_headers(handle, list)
      _ = mkt_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, Self.onHeader)
      _ = mkt_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
      _ = mkt_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, Self.onBody)
      _ = mkt_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
      _ = mkt_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
      _ = mkt_curl_set_progress_callback(handle, Self.onProgress)
      _ = mkt_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
      return mkt_curl_easy_perform(handle)
    }
    if failure == nil, code != CURLE_OK, !(skipBody && code == CURLE_WRITE_ERROR) {
      if code == CURLE_OPERATION_TIMEDOUT {
        failure = .timedOut
      } else {
        let text = String(
          decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        failure = .transport(text.isEmpty ? String(cString: mkt_curl_easy_strerror(code)) : text)
      }
    }
    if failure == nil, !headComplete { failure = .transport("the server sent no complete answer") }
    return Outcome(response: headComplete ? response : nil, body: body, failure: failure)
  }

  /// One line of the answer's head: the status line, a header, or the blank line ending it.
  private func header(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("HTTP/") {
      // A new answer (after a 100 Continue, or the only one): its status.
      let parts = text.split(separator: " ", maxSplits: 2)
      response = FetchResponse(status: parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
      headComplete = false
      return true
    }
    guard var head = response else { return true }
    if !text.isEmpty {
      if let colon = text.firstIndex(of: ":") {
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        head.headers[name.lowercased()] = value
        response = head
      }
      return true
    }
    if (100..<200).contains(head.status) { return true }  // an interim answer; the real one follows
    headComplete = true
    guard (200..<300).contains(head.status) else {
      skipBody = true
      return false  // its body is not wanted: stop here
    }
    // A gzip body is counted as it is inflated; its Content-Length says nothing of that.
    let encoding = head.value("Content-Encoding")?.lowercased() ?? ""
    if encoding.isEmpty || encoding == "identity",
      let length = head.value("Content-Length").flatMap({ Int64($0) })
    {
      if length > cap {
        failure = .tooLarge(announced: length)
        return false
      }
      if case .memory = sink, length > 0 { body.reserveCapacity(Int(min(length, 64 << 20))) }
    }
    return true
  }

  /// A piece of the body: counted against the cap, then written to the sink.
  private func piece(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !skipBody, failure == nil else { return false }
    guard received + Int64(bytes.count) <= cap else {
      failure = .tooLarge(announced: nil)
      return false
    }
    received += Int64(bytes.count)
    switch sink {
    case .memory:
      body.append(contentsOf: bytes)
    case .file(let file):
      do {
        try file.write(Data(buffer: bytes))
      } catch {
        failure = .write(error)
        return false
      }
    }
    return true
  }

  /// Called by libcurl at least once a second: whether to go on.
  private func progress() -> Bool {
    if isStopped {
      failure = failure ?? .cancelled
      return false
    }
    if ContinuousClock.now >= deadline {
      failure = failure ?? .timedOut
      return false
    }
    return true
  }

  private static let onHeader: curl_write_callback = { pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<FetchTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = UnsafeRawPointer(pointer).bindMemory(to: UInt8.self, capacity: length)
    return transfer.header(UnsafeBufferPointer(start: line, count: length)) ? length : 0
  }

  private static let onBody: curl_write_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<FetchTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let pointer, length > 0 else { return length }
    let bytes = UnsafeRawPointer(pointer).bindMemory(to: UInt8.self, capacity: length)
    return transfer.piece(UnsafeBufferPointer(start: bytes, count: length)) ? length : 0
  }

  private static let onProgress: curl_xferinfo_callback = { context, _, _, _, _ in
    guard let context else { return 1 }
    let transfer = Unmanaged<FetchTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.progress() ? 0 : 1
  }
}

/// The head of an HTTP answer.
struct FetchResponse: Sendable, Equatable {
  /// The status code: 200, 304, 404.
  var status: Int
  /// The headers by lowercased name; of a repeated header, the last.
  var headers: [String: String] = [:]

  /// The value of the header `name`, whatever its case.
  func value(_ name: String) -> String? { headers[name.lowercased()] }
}
