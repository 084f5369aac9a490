"""Rights and triggers alone: a resolved contract and its logs in, the rights pass's values out
(``obligo.report.assemble.assessment`` makes the report's ``Assessment`` of them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from obligo.engine.rights.assessment import Rights, assess
from obligo.engine.run.session import Measurer, opened
from obligo.resolve import ResolvedContract


def assessment(
    agreement: ResolvedContract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Rights:
    """Rights and triggers of a resolved contract against its event logs, as of ``at``
    (default now)."""
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return assess(ctx, Measurer(ctx))
