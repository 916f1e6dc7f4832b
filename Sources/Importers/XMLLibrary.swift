internal import CLibXML2

/// Facts about the libxml2 that mkt is linked against.
public enum XMLLibrary {
  /// The run-time libxml2 version, such as `2.9.14`.
  public static var version: String {
    // xmlParserVersion is "20914" for 2.9.14: major * 10000 + minor * 100 + patch.
    guard let pointer = __xmlParserVersion()?.pointee, let number = Int(String(cString: pointer))
    else { return "unknown" }
    return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
  }
}
