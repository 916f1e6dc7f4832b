import MktCore
import Testing

@Suite struct MoneyMathTests {
  @Test func halfEvenRoundsTiesToTheEvenNeighbour() {
    #expect(Rounding.halfEven(25, dividedBy: 10) == 2)
    #expect(Rounding.halfEven(35, dividedBy: 10) == 4)
    #expect(Rounding.halfEven(-25, dividedBy: 10) == -2)
    #expect(Rounding.halfEven(-35, dividedBy: 10) == -4)
    #expect(Rounding.halfEven(26, dividedBy: 10) == 3)
    #expect(Rounding.halfEven(-26, dividedBy: 10) == -3)
    #expect(Rounding.halfEven(24, dividedBy: 10) == 2)
  }

  @Test func halfEvenAgreesWithExactArithmeticOnRandomInputs() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let value = Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator)
      let divisor = Int64.random(in: 1...100_000, using: &generator)
      let rounded = Rounding.halfEven(value, dividedBy: divisor)
      // |value - rounded × divisor| ≤ divisor / 2, and on an exact tie the result is even.
      let error = (value - rounded * divisor).magnitude * 2
      #expect(error <= divisor.magnitude)
      if error == divisor.magnitude { #expect(rounded % 2 == 0) }
    }
  }

  @Test func wideProductsRoundExactlyAndOverflowIsReported() {
    // 9e15 minor units × 19 % needs more than 64 bits in between.
    #expect(
      Rounding.halfEven(9_000_000_000_000_000, times: 190_000, dividedBy: 1_000_000)
        == 1_710_000_000_000_000)
    #expect(Rounding.halfEven(Int64.max, times: 2_000_000, dividedBy: 1_000_000) == nil)
    #expect(Percentage(percent: "19")?.of(1999) == 380)  // 379.81
    #expect(Percentage(percent: "25.5")?.of(1000) == 255)
    #expect(Percentage(percent: "5")?.of(50) == 2)  // 2.5 → 2 (even)
    #expect(Percentage(percent: "5")?.of(70) == 4)  // 3.5 → 4 (even)
  }

  @Test func moneyParsesDecimalsAndRefusesOverflow() throws {
    #expect(try Money("1234.5", currency: .eur).minorUnits == 123_450)
    #expect(try Money("0.125", currency: .eur).minorUnits == 12)
    #expect(try Money("0.135", currency: .eur).minorUnits == 14)
    #expect(throws: MoneyError.self) { try Money("92233720368547758.08", currency: .eur) }
    #expect(throws: MoneyError.self) { try Money("1e3", currency: .eur) }
    #expect(throws: MoneyError.self) { try Money("1,50", currency: .eur) }
    let big = Money(minorUnits: .max, currency: .eur)
    #expect(throws: MoneyError.self) { try big + Money(minorUnits: 1, currency: .eur) }
    #expect(throws: MoneyError.self) { try big.times(2) }
  }

  @Test func percentagesRoundTripTheirText() {
    for text in ["19", "25.5", "8.1", "2.6", "0", "5.5", "13.5"] {
      #expect(Percentage(percent: text)?.description == text)
    }
    #expect(Percentage(percent: "19.00001") == nil)
    #expect(Percentage(percent: "abc") == nil)
  }
}
