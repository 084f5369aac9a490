"""What a reader may choose about a report made for people, whatever its format: how many places
a percentage shows and the width long lines wrap to. The JSON report ignores both: it keeps the
exact values obligo decided on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    """``precision``: the decimal places of a percentage (None: every digit the report holds, as
    in the JSON); ``width``: the column long lines wrap at (None: never wrap, as when the report
    goes to a file or a pipe, where a program may read it line by line)."""

    precision: int | None = None
    width: int | None = None


PLAIN = RenderOptions()
