"""``obligo eval --plan``: the scans an evaluation would run, for people (text) and programs (JSON).

Each scan is printed with its grid in words, the metrics it feeds, its SQL and the values bound
to its ``?`` (the contract's texts and numbers are never written into the SQL).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from obligo._inert import inert
from obligo.engine.scans import ScanPlan


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def plan_json(sections: list[tuple[str, ScanPlan]]) -> str:
    data = {
        "agreements": [
            {
                "agreement": name,
                "scans": [
                    {
                        **scan,
                        "params": [_value(p) for p in scan["params"]],
                        **(
                            {"pooled_params": [_value(p) for p in scan["pooled_params"]]}
                            if "pooled_params" in scan
                            else {}
                        ),
                    }
                    for scan in plan.describe()
                ],
            }
            for name, plan in sections
        ]
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def plan_text(sections: list[tuple[str, ScanPlan]]) -> str:
    lines: list[str] = []
    for name, plan in sections:
        scans = plan.describe()
        count = f"{len(scans)} scan" + ("" if len(scans) == 1 else "s")
        lines.append(f"plan of {inert(name)}: {count} of the log")
        for number, scan in enumerate(scans, 1):
            feeds = scan["feeds"]
            lines.append(f"scan {number}: {inert(scan['grid'])}")
            lines.append(
                f"  feeds {len(feeds)} metric{'' if len(feeds) == 1 else 's'}: "
                + ", ".join(inert(f) for f in feeds)
            )
            if "selections" in scan:
                count = scan["selections"]
                lines.append(
                    f"  {count} selection{'' if count == 1 else 's'}, their records one by one"
                )
            else:
                lines.append(f"  {scan['aggregates']} aggregates")
            lines.append(f"  sql: {scan['sql']}")
            lines.append(
                "  parameters: " + ", ".join(inert(repr(_value(p))) for p in scan["params"])
            )
            if "pooled_sql" in scan:
                lines.append(
                    "  over every record, only if something reads it (a trigger, a fee):"
                    f" {scan['pooled_sql']}"
                )
        lines.append("")
    return "\n".join(lines)
