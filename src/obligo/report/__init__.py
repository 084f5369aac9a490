"""The result of an evaluation as data: what was measured, per clause and period, and why."""

from obligo.report.model import (
    Contributor,
    ErrorBudget,
    Evidence,
    ExclusionApplied,
    InputAccount,
    PeriodRef,
    Rejection,
    Report,
    Verdict,
)

__all__ = [
    "Contributor",
    "ErrorBudget",
    "Evidence",
    "ExclusionApplied",
    "InputAccount",
    "PeriodRef",
    "Rejection",
    "Report",
    "Verdict",
]
