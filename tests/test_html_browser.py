"""The HTML report in a real browser: headless Chromium loads a bundled contract's page from a
file, and what it built is checked (every chart there with one point per period measured), its
screenshot is not blank, and it prints to PDF. Everything is written to a temporary folder.

Chromium must be installed (Debian: ``apt-get install -y chromium``; ``.ci/run`` installs it):
without it this test fails, saying so, rather than skip.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import obligo
from html_checks import parse
from obligo.render.html import report_html
from test_html import ACME_AT

REPO = Path(__file__).resolve().parent.parent
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    given = os.environ.get("OBLIGO_CHROMIUM")
    found = given or next((path for name in NAMES if (path := shutil.which(name))), None)
    if not found:
        pytest.fail(
            "headless Chromium is needed to check the HTML report in a browser, and none was"
            " found (looked for " + ", ".join(NAMES) + "). Install it: `sudo apt-get install -y"
            " chromium` on Debian or Ubuntu, or set OBLIGO_CHROMIUM to a Chromium or Chrome binary."
        )
    return found


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless on ``page``: its own profile (several runs at once do not share one),
    no sandbox (it refuses to start as root with one), no network needed."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--window-size=1200,1600",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def png_rows(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image data of a PNG (8-bit, no interlace)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, zlib.decompress(chunks)


def test_a_bundled_report_displays_in_chromium_with_its_charts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    report = obligo.evaluate(
        obligo.load("contracts/acme-hosting.sla"),
        ["contracts/acme-hosting/events.jsonl"],
        at=ACME_AT,
    )
    page = tmp_path / "acme.html"
    page.write_text(report_html(report), encoding="utf-8")
    measured = {}
    for verdict in report.verdicts:
        key = (verdict.clause, verdict.objective)
        measured[key] = measured.get(key, 0) + (verdict.value is not None)

    # The document the browser built (after parsing and layout), not the file's text.
    done = browse(page, tmp_path / "profile", "--dump-dom", "--enable-logging=stderr", "--v=0")
    # Nothing written to the page's console (an error of the page would be).
    assert ":CONSOLE" not in done.stderr, done.stderr
    dom = done.stdout
    built = parse(dom)
    charts = [a for t, a in built.elements if t == "svg" and a.get("class") == "chart"]
    assert len(charts) == len(measured) == 3
    # Each chart has as many points as its objective has periods with a value (12 here: the
    # three objectives measured in four months), and says so in data-points.
    points_per_chart = [int(a["data-points"] or 0) for a in charts]
    assert points_per_chart == list(measured.values()) == [4, 4, 4]
    circles = [a for t, a in built.elements if t == "circle"]
    assert len(circles) == sum(measured.values())
    assert "Managed hosting for Acme" in "".join(built.text)

    # It shows something: a screenshot of the right size that is not one colour.
    shot = tmp_path / "acme.png"
    browse(page, tmp_path / "profile", f"--screenshot={shot}")
    width, height, pixels = png_rows(shot)
    assert (width, height) == (1200, 1600)
    assert len(set(pixels[: width * 4 * 400])) > 16  # text, lines and colours, not a blank page

    # And it prints.
    pdf = tmp_path / "acme.pdf"
    browse(page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
