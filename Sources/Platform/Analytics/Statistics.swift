import Foundation

/// The tests `mkt ab report` runs, with the distributions they need (Numerical Recipes' series
/// and continued fractions for the incomplete gamma and beta functions).
enum Statistics {
  /// The standard normal distribution's CDF.
  static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

  /// z for a two-sided 95 % interval.
  static let z95 = 1.959_963_984_540_054
  /// z for a power of 80 %.
  static let z80 = 0.841_621_233_572_914_4

  /// A two-proportion z-test (pooled standard error), two-sided: the p-value, and the difference
  /// `b − a` with its 95 % Wald interval (unpooled).
  static func twoProportions(
    successesA: Int, totalA: Int, successesB: Int, totalB: Int
  ) -> (pValue: Double, difference: Double, low: Double, high: Double) {
    guard totalA > 0, totalB > 0 else { return (1, 0, 0, 0) }
    let (na, nb) = (Double(totalA), Double(totalB))
    let (pa, pb) = (Double(successesA) / na, Double(successesB) / nb)
    let pooled = Double(successesA + successesB) / (na + nb)
    let pooledError = (pooled * (1 - pooled) * (1 / na + 1 / nb)).squareRoot()
    let pValue =
      pooledError > 0 ? 2 * (1 - normalCDF(abs(pb - pa) / pooledError)) : (pa == pb ? 1 : 0)
    let error = (pa * (1 - pa) / na + pb * (1 - pb) / nb).squareRoot()
    return (pValue, pb - pa, pb - pa - z95 * error, pb - pa + z95 * error)
  }

  /// Welch's t-test of two samples' means, two-sided: the p-value, and the difference `b − a`
  /// with its 95 % interval (Welch–Satterthwaite degrees of freedom).
  static func welch(_ a: [Double], _ b: [Double]) -> (
    pValue: Double, difference: Double, low: Double, high: Double
  ) {
    guard a.count > 1, b.count > 1 else { return (1, 0, 0, 0) }
    let (meanA, varianceA) = moments(a)
    let (meanB, varianceB) = moments(b)
    let (sa, sb) = (varianceA / Double(a.count), varianceB / Double(b.count))
    let error = (sa + sb).squareRoot()
    let difference = meanB - meanA
    guard error > 0 else { return (difference == 0 ? 1 : 0, difference, difference, difference) }
    let freedom =
      (sa + sb) * (sa + sb)
      / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
    let t = difference / error
    let pValue = studentTwoSided(t, freedom: freedom)
    let critical = studentQuantile975(freedom: freedom)
    return (pValue, difference, difference - critical * error, difference + critical * error)
  }

  /// Mean and sample variance.
  static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, values.count > 1 ? squares / Double(values.count - 1) : 0)
  }

  /// P(|T| ≥ |t|) for Student's t with `freedom` degrees of freedom.
  static func studentTwoSided(_ t: Double, freedom: Double) -> Double {
    incompleteBeta(freedom / (freedom + t * t), a: freedom / 2, b: 0.5)
  }

  /// The 97.5 % quantile of Student's t, by bisection on the two-sided tail.
  static func studentQuantile975(freedom: Double) -> Double {
    var (low, high) = (0.0, 1000.0)
    for _ in 0..<100 {
      let middle = (low + high) / 2
      if studentTwoSided(middle, freedom: freedom) > 0.05 { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }

  /// A χ² goodness-of-fit test of `observed` counts against `expected` shares: the p-value.
  static func chiSquare(observed: [Int], shares: [Double]) -> (statistic: Double, pValue: Double) {
    let total = Double(observed.reduce(0, +))
    guard total > 0, observed.count > 1 else { return (0, 1) }
    var statistic = 0.0
    for (count, share) in zip(observed, shares) where share > 0 {
      let expected = total * share
      statistic += (Double(count) - expected) * (Double(count) - expected) / expected
    }
    return (statistic, upperIncompleteGamma(Double(observed.count - 1) / 2, statistic / 2))
  }

  /// Users each variant needs to detect a relative lift of `effect` on a conversion rate of
  /// `baseline` with a two-sided 5 % test at 80 % power.
  static func sampleSize(baseline: Double, effect: Double) -> Int {
    let p1 = baseline
    let p2 = min(0.999_999, baseline * (1 + effect))
    guard p1 > 0, p1 < 1, p2 != p1 else { return 0 }
    let mean = (p1 + p2) / 2
    let numerator =
      z95 * (2 * mean * (1 - mean)).squareRoot() + z80
      * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
    return Int((numerator * numerator / ((p2 - p1) * (p2 - p1))).rounded(.up))
  }

  /// Users each variant needs to detect a relative lift of `effect` on a mean of `mean` with
  /// standard deviation `deviation` (two-sided 5 %, 80 % power).
  static func sampleSize(mean: Double, deviation: Double, effect: Double) -> Int {
    let delta = mean * effect
    guard delta != 0 else { return 0 }
    let z = z95 + z80
    return Int((2 * z * z * deviation * deviation / (delta * delta)).rounded(.up))
  }

  /// The regularized upper incomplete gamma function Q(a, x).
  static func upperIncompleteGamma(_ a: Double, _ x: Double) -> Double {
    guard x > 0 else { return 1 }
    let logPrefix = -x + a * log(x) - lgamma(a)
    if x < a + 1 {
      var sum = 1 / a
      var term = sum
      var n = a
      for _ in 0..<500 {
        n += 1
        term *= x / n
        sum += term
        if abs(term) < abs(sum) * 1e-15 { break }
      }
      return max(0, 1 - sum * exp(logPrefix))
    }
    // Lentz's continued fraction.
    var b = x + 1 - a
    var c = 1 / 1e-300
    var d = 1 / b
    var h = d
    for i in 1..<500 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < 1e-300 { d = 1e-300 }
      c = b + an / c
      if abs(c) < 1e-300 { c = 1e-300 }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return exp(logPrefix) * h
  }

  /// The regularized incomplete beta function I_x(a, b).
  static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    guard x > 0 else { return 0 }
    guard x < 1 else { return 1 }
    if x > (a + 1) / (a + b + 2) { return 1 - incompleteBeta(1 - x, a: b, b: a) }
    let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let logPowers: Double = a * log(x) + b * log(1 - x)
    let front = exp(logGammas + logPowers)
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < 1e-300 { d = 1e-300 }
    d = 1 / d
    var h = d
    for m in 1..<500 {
      let m = Double(m)
      let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + even * d
      if abs(d) < 1e-300 { d = 1e-300 }
      c = 1 + even / c
      if abs(c) < 1e-300 { c = 1e-300 }
      d = 1 / d
      h *= d * c
      let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + odd * d
      if abs(d) < 1e-300 { d = 1e-300 }
      c = 1 + odd / c
      if abs(c) < 1e-300 { c = 1e-300 }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return front * h / a
  }
}
