#!/usr/bin/env python3
# generate-cldr.py -- pinned CLDR subset for byte-stable money/number/date formatting.
#
# What it does:
#   Reads the CLDR data that PyPI's `babel` 2.16.0 ships (CLDR 45) and writes
#     Sources/Platform/Localization/Resources/cldr.json
#         currency digits/rounding (CLDR supplemental currencyData) for ten
#         currencies, and per-locale number symbols, standard decimal/currency/
#         percent patterns (latn), short/medium/long date patterns, wide
#         format-context month names and currency symbols;
#     Tests/LocalizationTests/Fixtures/cldr-golden.json
#         golden cases whose "expected" strings are produced by babel's own
#         formatting functions (format_currency, format_decimal,
#         format_percent, format_date), never typed by hand.
#   Output is deterministic: sorted keys, ensure_ascii=False, indent=1,
#   trailing newline. Running it twice gives byte-identical files.
#
# How to rerun (from the repository root):
#   pip install babel==2.16.0 && python3 scripts/generate-cldr.py
#
# Only babel and the Python standard library are used. The script refuses to
# run with any other babel version, so the pinned data cannot drift silently.
#
# Known gap in babel: it does not import CLDR's <minimumGroupingDigits>, so
# that one field is carried below as a table transcribed from CLDR 45
# (common/main/*.xml, checked against the resolved cldr-json 45.0.0 release),
# and babel's golden outputs always group from 4 digits on (e.g. es_ES
# "1.234,5" where CLDR/ICU with minimumGroupingDigits=2 gives "1234,5").

import datetime
import decimal
import json
import os
import sys

import babel
from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_territory_currencies,
)

BABEL_VERSION = "2.16.0"
# babel 2.16.0 has no API for the CLDR version (get_cldr_version() arrived in
# 2.18.0). Its changelog for 2.16.0 says "CLDR: Upgrade to CLDR 45", and the
# package's own sources say so too (babel/lists.py "Based on CLDR 45's
# root.xml", babel/localedata.py "parent locales added in CLDR 45").
CLDR_VERSION = "45.0"

CURRENCIES = ["EUR", "CHF", "GBP", "DKK", "SEK", "NOK", "PLN", "CZK", "HUF", "RON"]

LOCALES = [
    "de_DE", "de_AT", "de_CH", "de_LU", "de_BE",
    "fr_FR", "fr_BE", "fr_CH", "fr_LU", "lb_LU",
    "nl_NL", "nl_BE", "it_IT", "it_CH", "es_ES",
    "pt_PT", "en_IE", "ga_IE", "en_GB", "da_DK",
    "sv_SE", "sv_FI", "fi_FI", "nb_NO", "pl_PL",
    "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "el_GR",
    "sl_SI", "hr_HR", "et_EE",
]

# Local currency of each country; cross-checked against babel's
# get_territory_currencies() below.
COUNTRY_CURRENCY = {
    "AT": "EUR", "BE": "EUR", "CH": "CHF", "CZ": "CZK", "DE": "EUR",
    "DK": "DKK", "EE": "EUR", "ES": "EUR", "FI": "EUR", "FR": "EUR",
    "GB": "GBP", "GR": "EUR", "HR": "EUR", "HU": "HUF", "IE": "EUR",
    "IT": "EUR", "LU": "EUR", "NL": "EUR", "NO": "NOK", "PL": "PLN",
    "PT": "EUR", "RO": "RON", "SE": "SEK", "SI": "EUR", "SK": "EUR",
}

# CLDR 45 <minimumGroupingDigits> per language (babel does not carry it).
# Every locale not listed here has 1 (inherited from root); no regional
# locale in LOCALES overrides its language's value.
MIN_GROUPING_DIGITS = {"es": 2, "et": 2, "hu": 2, "pl": 2, "pt_PT": 2}

CURRENCY_INPUTS = ["12345.6", "1234.5", "-1234.5", "0", "0.5", "1000", "12345678.91", "999.995", "1234.565"]
DECIMAL_INPUTS = ["1234.5", "1234567.891", "-0.5", "1000", "100"]
PERCENT_INPUTS = ["0.25", "0.125", "1.5"]
DATE_INPUTS = ["2026-03-29", "2026-11-05"]
DATE_STYLES = ["short", "medium", "long"]
REFERENCE_DATE = datetime.date(2026, 1, 1)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLDR_PATH = os.path.join(ROOT, "Sources", "Platform", "Localization", "Resources", "cldr.json")
GOLDEN_PATH = os.path.join(ROOT, "Tests", "LocalizationTests", "Fixtures", "cldr-golden.json")


def min_grouping(locale_id):
    lang = locale_id.split("_")[0]
    return MIN_GROUPING_DIGITS.get(locale_id, MIN_GROUPING_DIGITS.get(lang, 1))


def currency_table():
    fractions = get_global("currency_fractions")
    table = {}
    for code in CURRENCIES:
        digits, rounding, cash_digits, cash_rounding = fractions.get(code, fractions["DEFAULT"])
        table[code] = {
            "digits": digits,
            "rounding": rounding,
            "cash_digits": cash_digits,
            "cash_rounding": cash_rounding,
        }
    return table


def locale_entry(locale_id):
    loc = Locale.parse(locale_id)
    if loc.default_numbering_system != "latn":
        raise SystemExit(f"{locale_id}: default numbering system is {loc.default_numbering_system}, not latn")
    symbols = loc.number_symbols["latn"]
    months = [loc.months["format"]["wide"][m] for m in range(1, 13)]
    months_abbr = [loc.months["format"]["abbreviated"][m] for m in range(1, 13)]
    return {
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "minus": symbols["minusSign"],
        "plus": symbols["plusSign"],
        "percent_sign": symbols["percentSign"],
        "min_grouping": min_grouping(locale_id),
        "decimal_pattern": loc.decimal_formats[None].pattern,
        "currency_pattern": loc.currency_formats["standard"].pattern,
        "percent_pattern": loc.percent_formats[None].pattern,
        "date_short": loc.date_formats["short"].pattern,
        "date_medium": loc.date_formats["medium"].pattern,
        "date_long": loc.date_formats["long"].pattern,
        "months": months,
        "months_abbr": months_abbr,
        "currency_symbols": {code: get_currency_symbol(code, locale=locale_id) for code in CURRENCIES},
    }


def grouping(locale_id, pattern, value, fraction_digits):
    """Whether CLDR groups `value`'s integer digits: babel always does, but CLDR's
    minimumGroupingDigits leaves a number ungrouped while its integer part has fewer than
    primary grouping size + minimumGroupingDigits digits (es, pl: 1234,50 but 12 345,60)."""
    rounded = abs(value).quantize(decimal.Decimal(1).scaleb(-fraction_digits), rounding=decimal.ROUND_HALF_EVEN)
    integer_digits = len(str(int(rounded)))
    primary = pattern.grouping[0]
    return integer_digits >= primary + min_grouping(locale_id)


def signed(locale_id, text, format_value, pattern):
    """TR35: the "-" of a number pattern (the implicit prefix of a pattern without a negative
    subpattern, or one written in an explicit negative subpattern like nb's "-#,##0.00 ¤")
    stands for the locale's minusSign. babel writes an ASCII hyphen instead, which differs
    where CLDR's minusSign is U+2212 (sv, fi, nb, et, sl, hr); this puts the locale's sign in
    its place."""
    value = decimal.Decimal(text)
    formatted = format_value(value)
    if value >= 0:
        return formatted
    minus = Locale.parse(locale_id).number_symbols["latn"]["minusSign"]
    assert "-" in formatted, (locale_id, text, pattern.pattern, formatted)
    return formatted.replace("-", minus, 1)


def golden_cases(locale_id):
    D = decimal.Decimal
    country = locale_id.split("_")[1]
    currencies = ["EUR"]
    if COUNTRY_CURRENCY[country] != "EUR":
        currencies.append(COUNTRY_CURRENCY[country])
    cases = []
    for code in currencies:
        for text in CURRENCY_INPUTS:
            cases.append({
                "locale": locale_id, "kind": "currency", "input": text, "currency": code,
                "expected": signed(locale_id, text, lambda v, code=code: format_currency(
                    v, code, locale=locale_id,
                    group_separator=grouping(
                        locale_id, Locale.parse(locale_id).currency_formats["standard"], D(text),
                        get_global("currency_fractions").get(code, get_global("currency_fractions")["DEFAULT"])[0])),
                    Locale.parse(locale_id).currency_formats["standard"]),
            })
    for text in DECIMAL_INPUTS:
        cases.append({
            "locale": locale_id, "kind": "decimal", "input": text,
            "expected": signed(locale_id, text, lambda v: format_decimal(
                v, locale=locale_id,
                group_separator=grouping(locale_id, Locale.parse(locale_id).decimal_formats[None], v, 3)),
                Locale.parse(locale_id).decimal_formats[None]),
        })
    for text in PERCENT_INPUTS:
        cases.append({
            "locale": locale_id, "kind": "percent", "input": text,
            "expected": format_percent(
                D(text), locale=locale_id,
                group_separator=grouping(locale_id, Locale.parse(locale_id).percent_formats[None], D(text) * 100, 0)),
        })
    for text in DATE_INPUTS:
        day = datetime.date.fromisoformat(text)
        for style in DATE_STYLES:
            cases.append({
                "locale": locale_id, "kind": "date", "input": text, "style": style,
                "expected": format_date(day, format=style, locale=locale_id),
            })
    return cases


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main():
    if babel.__version__ != BABEL_VERSION:
        raise SystemExit(f"babel {babel.__version__} found; run: pip install babel=={BABEL_VERSION}")

    for country, code in COUNTRY_CURRENCY.items():
        babel_codes = get_territory_currencies(country, REFERENCE_DATE)
        if not babel_codes or babel_codes[0] != code:
            raise SystemExit(f"{country}: expected {code}, babel says {babel_codes}")

    present = [l for l in LOCALES if localedata.exists(l)]
    skipped = [l for l in LOCALES if l not in present]
    for locale_id in skipped:
        print(f"skipping {locale_id}: not in babel {BABEL_VERSION}", file=sys.stderr)

    # babel rounds with the ambient decimal context (Decimal.quantize without an
    # explicit mode). Pin it to Python's default: 28 digits, ROUND_HALF_EVEN.
    context = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)
    with decimal.localcontext(context):
        cldr = {
            "cldr_version": CLDR_VERSION,
            "generator": f"scripts/generate-cldr.py with babel {BABEL_VERSION}",
            "currencies": currency_table(),
            "locales": {l: locale_entry(l) for l in present},
        }
        golden = [case for l in sorted(present) for case in golden_cases(l)]

    write_json(CLDR_PATH, cldr)
    write_json(GOLDEN_PATH, golden)
    print(f"wrote {os.path.relpath(CLDR_PATH, ROOT)} ({len(present)} locales) "
          f"and {os.path.relpath(GOLDEN_PATH, ROOT)} ({len(golden)} cases)")


if __name__ == "__main__":
    main()
