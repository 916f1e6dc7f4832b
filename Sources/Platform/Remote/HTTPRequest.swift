import CCurl
import Foundation

/// One HTTP request with a body, sent by libcurl on a thread of its own: the client of webhook
/// deliveries and `mkt push`.
///
/// libcurl rather than `URLSession` for the reasons `FetchTransfer` gives (Catalog): on Linux,
/// `URLSession` does not enforce a total timeout and buffers answers without bound. The answer's
/// body is kept up to ``maximumAnswer`` bytes; redirects are not followed (a webhook or a push
/// endpoint that moves must be updated, not chased).
public struct HTTPCall: Sendable {
  public var method: String
  public var url: String
  public var headers: [String]
  public var body: [UInt8]
  /// Connect, send and answer together must take at most this long.
  public var timeout: Duration
  /// PEM certificates to trust for https instead of the system's (a private CA, a test's).
  public var trusted: String?

  public init(
    method: String = "POST", url: String, headers: [String] = [], body: [UInt8] = [],
    timeout: Duration = .seconds(10), trusted: String? = nil
  ) {
    self.trusted = trusted
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
  }

  /// The most of an answer's body kept (a problem document, a push acknowledgement).
  public static let maximumAnswer = 4 << 20

  /// How a call ended: an answer (any status), or no answer and why.
  public enum Outcome: Sendable, Equatable {
    case answered(status: Int, headers: [String: String], body: [UInt8])
    case failed(String)
    case timedOut
  }

  /// Sends the request and waits for the answer.
  public func send() async -> Outcome {
    await withCheckedContinuation { continuation in
      // libcurl blocks: on a thread of its own, not one of the few of the task pool.
      let thread = Thread {
        continuation.resume(returning: CurlCall(self).perform())
      }
      thread.name = "mkt http"
      thread.start()
    }
  }
}

/// The state of one libcurl transfer; its callbacks run on the transfer's thread only.
private final class CurlCall {
  let call: HTTPCall
  var status = 0
  var headers: [String: String] = [:]
  var body: [UInt8] = []
  var overflow = false

  init(_ call: HTTPCall) {
    self.call = call
  }

  static let initialized = mkt_curl_global_init() == CURLE_OK

  func perform() -> HTTPCall.Outcome {
    guard Self.initialized, let handle = mkt_curl_easy_init() else {
      return .failed(String(cString: mkt_curl_init_error()))
    }
    defer { mkt_curl_easy_cleanup(handle) }
    var list: UnsafeMutablePointer<curl_slist>?
    for header in call.headers + ["Expect:"] { list = mkt_curl_slist_append(list, header) }
    defer { mkt_curl_slist_free_all(list) }
    let milliseconds = max(1, Int(call.timeout / .milliseconds(1)))
    var message = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let context = Unmanaged.passUnretained(self).toOpaque()
    var payload = call.body
    let code = payload.withUnsafeMutableBytes { bytes in
      message.withUnsafeMutableBufferPointer { buffer -> CURLcode in
        mkt_curl_set_basics(handle, call.url, milliseconds, buffer.baseAddress)
        _ = mkt_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, call.method)
        if let trusted = call.trusted { _ = mkt_curl_set_string(handle, CURLOPT_CAINFO, trusted) }
        // No body (a DELETE): no POST fields, or libcurl would read the body from stdin.
        if call.method != "GET", let fields = bytes.baseAddress, !bytes.isEmpty {
          _ = mkt_curl_set_long(handle, CURLOPT_POST, 1)
          _ = mkt_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
          _ = mkt_curl_set_pointer(handle, CURLOPT_POSTFIELDS, fields)
        }
        _ = mkt_curl_set_headers(handle, list)
        _ = mkt_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, Self.onHeader)
        _ = mkt_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = mkt_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, Self.onBody)
        _ = mkt_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        return mkt_curl_easy_perform(handle)
      }
    }
    if code == CURLE_OPERATION_TIMEDOUT { return .timedOut }
    guard code == CURLE_OK || (overflow && code == CURLE_WRITE_ERROR), status > 0 else {
      let text = String(
        decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      return .failed(text.isEmpty ? String(cString: mkt_curl_easy_strerror(code)) : text)
    }
    return .answered(status: status, headers: headers, body: body)
  }

  func header(_ line: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("HTTP/") {
      let parts = text.split(separator: " ", maxSplits: 2)
      status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
      headers = [:]
    } else if let colon = text.firstIndex(of: ":") {
      let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      headers[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
  }

  func piece(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard body.count + bytes.count <= HTTPCall.maximumAnswer else {
      overflow = true
      return false
    }
    body.append(contentsOf: bytes)
    return true
  }

  static let onHeader: curl_write_callback = { pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let call = Unmanaged<CurlCall>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = UnsafeRawPointer(pointer).bindMemory(to: UInt8.self, capacity: length)
    call.header(UnsafeBufferPointer(start: line, count: length))
    return length
  }

  static let onBody: curl_write_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let call = Unmanaged<CurlCall>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let pointer, length > 0 else { return length }
    let bytes = UnsafeRawPointer(pointer).bindMemory(to: UInt8.self, capacity: length)
    return call.piece(UnsafeBufferPointer(start: bytes, count: length)) ? length : 0
  }
}
