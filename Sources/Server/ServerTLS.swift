import Foundation
public import MktCore
import NIOSSL

/// The certificate chain and private key `mkt serve --tls-cert --tls-key` answers with
/// (TLS 1.2 and 1.3 only), checked when the server starts rather than at the first client.
public struct ServerTLS: Sendable {
  let configuration: TLSConfiguration

  /// Reads PEM files: the certificate chain (leaf first) and its private key.
  ///
  /// - Throws: ``ServerTLSError``: a file missing, not PEM, or a key that does not fit the
  ///   certificate.
  public init(certificate: String, key: String) throws(ServerTLSError) {
    for path in [certificate, key] where !FileManager.default.isReadableFile(atPath: path) {
      throw .unreadable(path)
    }
    let chain: [NIOSSLCertificate]
    do {
      chain = try NIOSSLCertificate.fromPEMFile(certificate)
    } catch {
      throw .notPEM(certificate, what: "certificate", reason: "\(error)")
    }
    guard !chain.isEmpty else {
      throw .notPEM(certificate, what: "certificate", reason: "no certificate in the file")
    }
    let privateKey: NIOSSLPrivateKey
    do {
      privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
    } catch {
      throw .notPEM(key, what: "private key", reason: "\(error)")
    }
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    configuration.minimumTLSVersion = .tlsv12
    do {
      _ = try NIOSSLContext(configuration: configuration)
    } catch {
      throw .mismatch(certificate: certificate, key: key, reason: "\(error)")
    }
    self.configuration = configuration
  }
}

/// Why `mkt serve` cannot answer over TLS.
public enum ServerTLSError: MktError, Equatable {
  case unreadable(String)
  case notPEM(String, what: String, reason: String)
  case mismatch(certificate: String, key: String, reason: String)

  public var exitStatus: SysExit {
    switch self {
    case .unreadable: .noInput
    case .notPEM, .mismatch: .dataError
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path): "\(path): cannot be read"
    case .notPEM(let path, let what, let reason): "\(path): not a PEM \(what) (\(reason))"
    case .mismatch(let certificate, let key, let reason):
      "\(key) is not the private key of \(certificate) (\(reason))"
    }
  }

  public var hint: String? {
    switch self {
    case .unreadable: "give the PEM files' paths, readable by this user"
    case .notPEM:
      "PEM begins with -----BEGIN CERTIFICATE----- (or PRIVATE KEY); convert DER with openssl x509"
    case .mismatch: "give the key the certificate was issued for"
    }
  }
}
