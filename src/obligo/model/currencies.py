"""The currencies of ISO 4217 (list one, the active codes, 2025) with their minor units: the one
table of currency codes a contract may name.

Codes without a minor unit (precious metals such as XAU, units of account such as XDR, the
testing code XTS and XXX, "no currency") are not here: a contract's amounts are paid in money.
Withdrawn codes still met in agreements written before their withdrawal (ANG, CUC, SLL, ZWL) are
kept, so that an older contract keeps checking clean.
"""

from __future__ import annotations

import difflib

# Code -> decimal places of its minor unit.
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP
        BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR
        FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW
        KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN
        NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD
        SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU
        UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
        """.split(),
        2,
    ),
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}

# The codes of ISO 4217 that are no currency: what each stands for.
NOT_MONEY: dict[str, str] = {
    **dict.fromkeys(("XAU", "XAG", "XPD", "XPT"), "a precious metal"),
    **dict.fromkeys(("XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA"), "a unit of account"),
    "XTS": "testing",
    "XXX": "no currency",
}


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (in capitals, as contracts write it)."""
    return code in MINOR_UNITS


def closest_currency(code: str) -> str | None:
    """The ISO 4217 code a misspelt one was most likely meant to be (``EUT`` -> ``EUR``)."""
    close = difflib.get_close_matches(code.upper(), sorted(MINOR_UNITS), n=1, cutoff=0.6)
    return close[0] if close else None
