/// Where products ship: SQL over the `product` and `merchant` tables that Catalog's badges and
/// Search's saved columns both read, kept here so neither module needs the other for it.
package enum ProductShipping {
  /// The countries a product ships to, as SQL over `p` (product), comma-separated: those of
  /// its `shipping` entries when it has any, else its merchant's country.
  package static let countriesSQL = """
    CASE WHEN json_type(p.attributes, '$.shipping') IS NULL
      THEN (SELECT country FROM merchant WHERE id = p.merchant_id)
      ELSE coalesce((SELECT group_concat(DISTINCT json_extract(s.value, '$.country'))
        FROM json_each(p.attributes, '$.shipping') s), '') END
    """

  /// Whether a set of countries from ``countriesSQL`` holds `country`.
  package static func ships(_ set: String, to country: String) -> Bool {
    set.split(separator: ",").contains { $0 == country }
  }
}
