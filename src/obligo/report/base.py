"""The base of every report node, and the source location nodes refer to."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReportNode(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(ReportNode):
    file: str
    line: int
    column: int
