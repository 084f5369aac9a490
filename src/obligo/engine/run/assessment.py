"""Rights and triggers alone: a resolved contract and its logs in, an ``Assessment`` out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from obligo.engine.rights.assessment import assess
from obligo.engine.run.session import Measurer, opened
from obligo.report.rights import Assessment
from obligo.resolve import ResolvedContract


def assessment(
    agreement: ResolvedContract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Assessment:
    """Rights and triggers of a resolved contract against its event logs, as of ``at``
    (default now)."""
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return assess(ctx, Measurer(ctx))
