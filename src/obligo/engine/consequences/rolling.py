"""The consequences of a metric measured over rolling windows (``over a rolling 30 days``).

Rolling windows overlap (one ends at every local midnight), so none of them is a period a fee
is paid for, and a credit per window would pay for the same bad day thirty times. Their
consequences are reckoned per **billing period** instead: the contract's billing cycles (``billing
cycle monthly from 2026-02-15``), else calendar months.

- A **level** (a tier, an exceedance, a reward, whether the period is breached) is the value of
  the window that **ends with the billing period**: the rolling level as it stood when the period
  closed. When no window ends exactly then, the last window that ends inside the period decides.
  (Billing cycles and rolling windows both end at local midnights, so in practice a window always
  ends with the period.)
- A **quantity counted per unit** (``per started hour of outage-time``, ``per missed record``) is
  counted over the billing period itself, so that no hour or record is counted twice by
  overlapping windows, or missed between them.

The rule is in ``docs/consequences.md`` (sections 1 and 12).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from obligo.engine.context import EvaluationContext
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import metrics as m
from obligo.model.contract import BillingCycle

__all__ = ["BillingPeriods", "Decided", "deciding_window", "window_text"]


@dataclass(frozen=True)
class Decided:
    """A billing period and the rolling window whose value decides its consequences (None:
    no window ends inside it)."""

    period: MeasurementPeriod
    window: MeasurementPeriod | None


def deciding_window(
    windows: Sequence[MeasurementPeriod], period: MeasurementPeriod
) -> MeasurementPeriod | None:
    """The window that ends with ``period``, else the last one that ends inside it (``start <
    end <= period.end``); None when none does. ``windows`` are ordered by end, as
    :func:`~obligo.engine.time.periods.measurement_periods` returns them."""
    index = bisect_right(windows, period.end, key=lambda w: w.end)
    if index == 0:
        return None
    window = windows[index - 1]
    return window if window.end > period.start else None


def window_text(metric: m.Metric, window: MeasurementPeriod, tz: ZoneInfo) -> str:
    """``rolling 30 days to 2026-03-14`` (``..., from the term's start on 2026-02-01`` for a
    window cut by the start of the term)."""
    assert isinstance(metric.period, m.RollingPeriod)
    text = f"rolling {metric.period.length} to {window.label}"
    if window.partial:
        text += f", from the term's start on {window.start.astimezone(tz).date().isoformat()}"
    return text


class BillingPeriods:
    """The billing periods of an evaluation, and which rolling window decides each of them."""

    def __init__(self, ctx: EvaluationContext, billing: BillingCycle | None) -> None:
        self.ctx = ctx
        # Calendar months when the contract has no billing cycle: the periods' labels are then
        # those of monthly metrics (`2026-03`), so a clause's monthly and rolling promises
        # share one period.
        self.period: m.Period = (
            m.BillingCyclePeriod() if billing is not None else m.CalendarPeriod(unit="month")
        )
        self._decided: dict[str, list[Decided]] = {}
        self._by_window: dict[str, dict[str, Decided]] = {}

    def periods(self) -> list[MeasurementPeriod]:
        """The billing periods from the start of the term to the one containing the evaluation
        time (bounds in UTC)."""
        return self.ctx.periods(self.period)

    def decided(self, metric: m.Metric) -> list[Decided]:
        """Each billing period with the window of the (rolling) metric that decides it."""
        if metric.id not in self._decided:
            windows = self.ctx.periods(metric.period)
            self._decided[metric.id] = [
                Decided(period, deciding_window(windows, period)) for period in self.periods()
            ]
        return self._decided[metric.id]

    def by_window(self, metric: m.Metric) -> dict[str, Decided]:
        """The deciding windows by their label, each with the billing period it decides; the
        other windows decide nothing."""
        if metric.id not in self._by_window:
            self._by_window[metric.id] = {
                d.window.label: d for d in self.decided(metric) if d.window is not None
            }
        return self._by_window[metric.id]

    def per_period(self, metric: m.Metric) -> m.Metric:
        """The metric measured over the billing periods instead of rolling windows, for the
        quantities counted per unit. Under a name of its own: the engine caches measurements
        by metric name."""
        measure = metric.measure.model_copy(update={"period": self.period})
        return metric.model_copy(
            update={"id": f"{metric.id}#per-billing-period", "measure": measure}
        )
