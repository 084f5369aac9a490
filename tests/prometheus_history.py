"""The history of tests/test_prometheus_server.py as OpenMetrics text for
``promtool tsdb create-blocks-from openmetrics``, with the outages known by construction.

* ``probe_success{job="api"}``, one sample a minute at second 30, 1 January to 31 March 2026:
  0 from 10 January 10:00 for 43 minutes, 0 from 12 February 08:00 for 45 minutes, and no sample
  at all from 5 February 00:00 for 60 minutes.
* ``http_requests_total{job="api",code=...}``, a sample every 15 s (at 7.5 s past each quarter
  minute), 1 to 7 March 2026: 100 requests a minute, all "200", but from 3 March 10:00 for 10
  minutes 80 "200" and 20 "500" (20% errors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

UTC = dt.UTC
PROBE_START = dt.datetime(2026, 1, 1, tzinfo=UTC)
PROBE_END = dt.datetime(2026, 4, 1, tzinfo=UTC)
PROBE_DOWN = [
    (dt.datetime(2026, 1, 10, 10, 0, tzinfo=UTC), 43),
    (dt.datetime(2026, 2, 12, 8, 0, tzinfo=UTC), 45),
]
PROBE_MISSING = (dt.datetime(2026, 2, 5, 0, 0, tzinfo=UTC), 60)
REQUESTS_START = dt.datetime(2026, 3, 1, tzinfo=UTC)
REQUESTS_END = dt.datetime(2026, 3, 8, tzinfo=UTC)
ERRORS = (dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC), 10)


def _within(minute: dt.datetime, start: dt.datetime, minutes: int) -> bool:
    return start <= minute < start + dt.timedelta(minutes=minutes)


def _minutes(start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    minute = start
    while minute < end:
        yield minute
        minute += dt.timedelta(minutes=1)


def history() -> str:
    lines = ["# TYPE probe_success gauge"]
    for minute in _minutes(PROBE_START, PROBE_END):
        if _within(minute, *PROBE_MISSING):
            continue
        up = 0 if any(_within(minute, *down) for down in PROBE_DOWN) else 1
        lines.append(f'probe_success{{job="api"}} {up} {int(minute.timestamp()) + 30}')
    lines.append("# TYPE http_requests counter")
    counts = {"200": 0, "500": 0}
    series: dict[str, list[str]] = {"200": [], "500": []}
    for minute in _minutes(REQUESTS_START, REQUESTS_END):
        bad = _within(minute, *ERRORS)
        per_quarter = {"200": 20 if bad else 25, "500": 5 if bad else 0}
        for quarter in range(4):
            at = minute.timestamp() + 15 * quarter + 7.5
            for code in ("200", "500"):
                counts[code] += per_quarter[code]
                series[code].append(
                    f'http_requests_total{{code="{code}",job="api"}} {counts[code]} {at}'
                )
    for code in ("200", "500"):
        lines.extend(series[code])
    lines.append("# EOF")
    return "\n".join(lines) + "\n"
