"""A report rendered with the user's own jinja2 template (``obligo eval --template FILE``).

The template sees the report model as documented (docs/report.md): the same dict as the JSON,
as ``report`` and as its keys. It runs in jinja2's sandbox (no attribute that reaches Python's
internals, such as ``''.__class__``), with undefined names an error rather than empty text, and
escapes every value when the file is HTML or XML (``.html``, ``.htm``, ``.xml``, ``.svg`` anywhere
in its suffixes: ``report.html.j2`` too). Whatever goes wrong in the template is an
:class:`ObligoError` naming its file and line: jinja2 counts lines, not columns, so the column is
that of the line's start.
"""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from obligo._inert import inert_model
from obligo.errors import ObligoError
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport

MAX_TEMPLATE_BYTES = 1024 * 1024
_ESCAPED = {".html", ".htm", ".xml", ".svg", ".xhtml"}


class TemplateError(ObligoError):
    """A user's report template that cannot be read or rendered."""


def _read(path: str) -> str:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise TemplateError(f"the template {path} is not a regular file", file=path)
        with open(path, "rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        raise TemplateError(
            f"cannot read the template {path}: {error.strerror or error}", file=path
        ) from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"the template {path} is larger than 1 MiB", file=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"the template {path} is not UTF-8 text", file=path) from None


def _located(message: str, path: str, source: str, line: int) -> TemplateError:
    lines = source.split("\n")
    shown = lines[line - 1] if 0 < line <= len(lines) else None
    return TemplateError(
        f"template: {message}", file=path, line=line, column=1 if line else 0, source_line=shown
    )


# The name jinja2 gives a template compiled from a string, in the frames of its tracebacks.
_FROM_STRING = "<template>"


def _line_in(error: BaseException) -> int:
    """The template line the error happened on: jinja2 rewrites its tracebacks so that a frame
    of the template names the template's file and line."""
    found = 0
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == _FROM_STRING and frame.lineno:
            found = frame.lineno
    return found


def render_template(path: str, result: Report | PortfolioReport) -> str:
    """The report through the template at ``path``; raises :class:`TemplateError`."""
    source = _read(path)
    escaped = bool(_ESCAPED & {suffix.lower() for suffix in Path(path).suffixes})
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(Path(path).parent or ".")),
        autoescape=escaped,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    data: dict[str, Any] = inert_model(result).model_dump(mode="json")
    try:
        template = env.from_string(source)
    except jinja2.TemplateSyntaxError as error:
        raise _located(error.message or str(error), path, source, error.lineno or 0) from None
    try:
        return template.render({**data, "report": data})
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            f"template {path} includes {error.name!r}, which is not in its folder", file=path
        ) from None
    except jinja2.TemplateSyntaxError as error:  # in an included template
        raise TemplateError(
            f"template {error.filename or path}, line {error.lineno}: {error.message}", file=path
        ) from None
    except jinja2.exceptions.SecurityError as error:
        line = _line_in(error)
        raise _located(f"refused by the sandbox: {error}", path, source, line) from None
    except jinja2.UndefinedError as error:
        raise _located(str(error), path, source, _line_in(error)) from None
    except jinja2.TemplateError as error:  # raise_exception, a runtime error of jinja2's own
        raise _located(str(error), path, source, _line_in(error)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        raise _located(f"{type(error).__name__}: {error}", path, source, _line_in(error)) from None
