import CCrypto

/// SHA-256 and HMAC-SHA256 from the system's libcrypto, and a comparison that takes the same time
/// whatever the bytes.
///
/// Tokens are stored as hashes and compared in constant time; webhooks are signed with an HMAC.
public enum Digest {
  /// The SHA-256 of `bytes`.
  public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    let input = Array(bytes)
    input.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { target in
        _ = SHA256(source.baseAddress, source.count, target.baseAddress)
      }
    }
    return output
  }

  /// The HMAC-SHA256 of `message` under `key` (RFC 2104).
  public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>)
    -> [UInt8]
  {
    var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let key = Array(key)
    let message = Array(message)
    key.withUnsafeBufferPointer { key in
      message.withUnsafeBufferPointer { message in
        output.withUnsafeMutableBufferPointer { target in
          _ = HMAC(
            EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress, message.count,
            target.baseAddress, &length)
        }
      }
    }
    return Array(output.prefix(Int(length)))
  }

  /// Whether `a` and `b` are equal, in a time that depends on their length only.
  public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { a in
      b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
    }
  }

  /// `bytes` as lowercase hexadecimal.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// `count` bytes from the system's cryptographic random source.
  public static func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }
}
