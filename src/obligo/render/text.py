"""The terminal form of a report: a table per contract, clause by clause and period by period."""

from __future__ import annotations

from obligo.report.model import Report, Verdict

HEADERS = ("clause", "period", "measured", "target", "status")


def _measured(verdict: Verdict) -> str:
    if verdict.value is None:
        return "-"
    unit = verdict.unit
    if unit == "%":
        return f"{verdict.value}%"
    if unit == "s":
        return f"{verdict.value} s"
    return f"{verdict.value} {unit}".rstrip()


def _status(verdict: Verdict) -> str:
    text = verdict.status.replace("_", " ")
    if (verdict.reason and verdict.status in ("no_data",)) or (
        verdict.reason and verdict.status != "met" and verdict.value is None
    ):
        text += f" ({verdict.reason})"
    if verdict.error_budget is not None:
        budget = verdict.error_budget
        text += f", budget left {budget.remaining} {budget.unit}"
    return text


def report_text(reports: list[Report]) -> str:
    out: list[str] = []
    for report in reports:
        contract = report.contract
        version = f" version {contract.version}" if contract.version else ""
        title = f' "{contract.title}"' if contract.title else ""
        out.append(f"contract {contract.id}{title}{version}")
        out.append(f"evaluated at {report.evaluated_at.isoformat()} ({report.timezone})")
        rows = [
            (
                f"{v.clause} {v.metric}" + (f" {v.group}" if v.group else ""),
                v.period.label + (" (partial)" if v.period.partial else ""),
                _measured(v),
                f"{v.objective.split(' ', 1)[1] if ' ' in v.objective else v.target}",
                _status(v),
            )
            for v in report.verdicts
        ]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]
        out.append("")
        out.append("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)).rstrip())
        for row in rows:
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.append("")
        for account in report.inputs:
            out.append(
                f"{account.name}: {account.lines} lines, {account.used} used,"
                f" {account.outside_periods} outside the periods, {account.unused} not used by this"
                f" contract, {account.rejected} rejected"
                + (f", {account.merged} merged" if account.merged else "")
                + (
                    f", {account.naive_timestamps} timestamps without offset"
                    if account.naive_timestamps
                    else ""
                )
            )
        if report.rejected:
            out.append(f"{report.rejected} lines rejected:")
            for rejection in report.rejections[:10]:
                out.append(f"  {rejection.file}:{rejection.line}: {rejection.reason}")
            if report.rejected > 10:
                out.append(f"  ... and {report.rejected - 10} more")
        out.append("")
    return "\n".join(out)
