/// A Merchant Center price, `15.00 EUR`: an integer amount of minor units and an ISO 4217 code.
public struct FeedPrice: Sendable, Equatable {
  /// The amount in the currency's minor units.
  public var minorUnits: Int64
  /// The ISO 4217 code, upper case.
  public var currency: String

  public init(minorUnits: Int64, currency: String) {
    self.minorUnits = minorUnits
    self.currency = currency
  }

  /// Digits after the decimal separator for `currency` (ISO 4217 minor units).
  public var digits: Int { ISO4217.minorUnits(of: currency) }

  /// The canonical text: the amount with the currency's digits, a space, the code.
  public var text: String {
    let digits = self.digits
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    let magnitude = minorUnits.magnitude
    let whole = magnitude / UInt64(scale)
    var text = (minorUnits < 0 ? "-" : "") + "\(whole)"
    if digits > 0 {
      let fraction = String(magnitude % UInt64(scale))
      text += "." + String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
    }
    return text + " " + currency
  }

  /// Why a text is not a price.
  public enum Problem: Error, Sendable, Equatable {
    case empty
    case noCurrency
    case unknownCurrency(String)
    case currencyFirst
    case decimalComma
    case notANumber
    case tooManyDecimals(allowed: Int)
    case negative
    case tooLarge

    /// The problem in words, for a finding's message.
    public var message: String {
      switch self {
      case .empty: "the price is empty"
      case .noCurrency: "the price has no currency; write it as 15.00 EUR"
      case .unknownCurrency(let code): "'\(code)' is not an ISO 4217 currency code"
      case .currencyFirst: "the currency comes after the amount: 15.00 EUR"
      case .decimalComma:
        "the decimal separator is a comma; write 15.00 EUR (or pass --decimal-comma)"
      case .notANumber: "the amount is not a number"
      case .tooManyDecimals(let allowed): "the amount has more than \(allowed) decimals"
      case .negative: "the price is negative"
      case .tooLarge:
        "the amount is above the most mkt stores (\(FeedPrice.maximumMinorUnits) minor units: "
          + "100000000000.00 in a currency with cents)"
      }
    }
  }

  /// The largest price mkt stores, in minor units (10^13: 100 billion in a currency with cents).
  ///
  /// A line of up to 100,000 units of it stays within 64 bits; sums over many lines are checked
  /// or summed in 128 bits.
  public static let maximumMinorUnits: Int64 = 10_000_000_000_000

  /// Parses `15.00 EUR` (also `15 EUR`, `15.5 EUR`); with `decimalComma`, `15,00 EUR` too.
  public static func parse(_ text: String, decimalComma: Bool = false) -> Result<FeedPrice, Problem>
  {
    var text = text
    return text.withUTF8 { parse($0, decimalComma: decimalComma) }
  }

  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Result<
    FeedPrice, Problem
  > {
    // Split on spaces into at most three words, as `split(separator: " ")` would.
    var words: [Range<Int>] = []
    var index = 0
    while index < bytes.count, words.count < 3 {
      while index < bytes.count, bytes[index] == 0x20 { index += 1 }
      let start = index
      while index < bytes.count, bytes[index] != 0x20 { index += 1 }
      if index > start { words.append(start..<index) }
    }
    func isLetters(_ range: Range<Int>) -> Bool {
      bytes[range].allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 >= 0x80 }
    }
    guard let first = words.first else { return .failure(.empty) }
    guard words.count == 2 else {
      if words.count == 1 {
        return isLetters(first) ? .failure(.notANumber) : .failure(.noCurrency)
      }
      return .failure(.notANumber)
    }
    let amount = words[0]
    let code = String(decoding: bytes[words[1]], as: UTF8.self)
    if isLetters(amount), let digit = bytes[words[1]].first, digit >= 48, digit <= 57 {
      return .failure(.currencyFirst)
    }
    guard ISO4217.isCurrency(code) else { return .failure(.unknownCurrency(code)) }
    let digits = ISO4217.minorUnits(of: code)
    var units: Int64 = 0
    var decimals = -1
    var sawDigit = false
    for position in amount {
      let character = bytes[position]
      switch character {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        sawDigit = true
        if decimals >= 0 { decimals += 1 }
        if decimals > digits { return .failure(.tooManyDecimals(allowed: digits)) }
        let (times, overflow1) = units.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times.addingReportingOverflow(Int64(character - UInt8(ascii: "0")))
        if overflow1 || overflow2 || sum > 1_000_000_000_000_000 { return .failure(.notANumber) }
        units = sum
      case UInt8(ascii: "."):
        guard decimals < 0 else { return .failure(.notANumber) }
        decimals = 0
      case UInt8(ascii: ","):
        guard decimalComma else { return .failure(.decimalComma) }
        guard decimals < 0 else { return .failure(.notANumber) }
        decimals = 0
      case UInt8(ascii: "-") where position == amount.lowerBound:
        return .failure(.negative)
      default:
        return .failure(.notANumber)
      }
    }
    guard sawDigit else { return .failure(.notANumber) }
    for _ in max(decimals, 0)..<digits {
      let (scaled, overflow) = units.multipliedReportingOverflow(by: 10)
      guard !overflow else { return .failure(.tooLarge) }
      units = scaled
    }
    guard units <= maximumMinorUnits else { return .failure(.tooLarge) }
    return .success(FeedPrice(minorUnits: units, currency: code))
  }
}
