import Foundation
import MktCore
import Remote
import Server
import Testing

/// `mkt serve --tls-cert --tls-key`: HTTPS with a real handshake on 127.0.0.1.
@Suite(.serialized) struct TLSTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path
  static let certificate = fixtures + "/tls-cert.pem"
  static let key = fixtures + "/tls-key.pem"

  @Test func badCertificatesAndKeysAreRefusedAtStartWithTheFile() throws {
    #expect(throws: ServerTLSError.unreadable("/nonexistent/cert.pem")) {
      try ServerTLS(certificate: "/nonexistent/cert.pem", key: Self.key)
    }
    let garbage = NSTemporaryDirectory() + "mkt-not-pem-\(UUID().uuidString).pem"
    try Data("hello".utf8).write(to: URL(fileURLWithPath: garbage))
    defer { try? FileManager.default.removeItem(atPath: garbage) }
    do {
      _ = try ServerTLS(certificate: garbage, key: Self.key)
      Issue.record("a file that is not PEM was taken as a certificate")
    } catch {
      guard case .notPEM(let path, "certificate", _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path == garbage && error.exitStatus == .dataError)
    }
    do {
      _ = try ServerTLS(certificate: Self.certificate, key: Self.fixtures + "/other-key.pem")
      Issue.record("a key that does not fit the certificate was taken")
    } catch {
      guard case .mismatch = error else {
        Issue.record("\(error)")
        return
      }
    }
  }

  @Test func itAnswersHTTPSRefusesPlainHTTPAndAPushTrustsOnlyWhatItIsTold() async throws {
    let remote = try await ServedShop.start(
      tls: try ServerTLS(certificate: Self.certificate, key: Self.key))
    defer { Task { try await remote.stop() } }
    let secure = "https://127.0.0.1:\(remote.running.port)"
    let health = await HTTPCall(
      method: "GET", url: secure + "/healthz", trusted: Self.certificate
    ).send()
    guard case .answered(200, _, let body) = health else {
      Issue.record("\(health)")
      return
    }
    #expect(String(decoding: body, as: UTF8.self).contains("ok"))
    // Plain HTTP to the TLS port gets no HTTP answer; the server goes on serving.
    let plain = await HTTPCall(
      method: "GET", url: "http://127.0.0.1:\(remote.running.port)/healthz",
      timeout: .seconds(5)
    ).send()
    if case .answered(let status, _, _) = plain { #expect(status != 200) }
    // A certificate nobody said to trust: no answer either.
    let untrusted = await HTTPCall(method: "GET", url: secure + "/healthz").send()
    if case .answered = untrusted { Issue.record("an unknown certificate was trusted") }
    // A push over HTTPS: refused without the certificate (69), done with it.
    let local = try await LocalShop(count: 4)
    let push = PushService(store: local.store)
    var options = PushOptions(url: secure, token: remote.acme)
    options.attempts = 1
    options.kinds = [.catalog]
    await #expect(throws: PushError.self) { try await push.push(options) }
    options.trusted = Self.certificate
    #expect(try await push.push(options).products == 4)
    #expect(
      try await LocalShop.lines(remote.store, count: 4) == LocalShop.lines(local.store, count: 4))
  }
}
