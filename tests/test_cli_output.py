"""What the commands write cannot destroy data: ``-o`` never overwrites an input, files are
replaced in one rename (never truncated in place), every error writing the output is one line
naming it (exit 2), a closed pipe ends quietly (exit 141), and SIGINT or SIGTERM stop a run with
one line (exit 130 or 143) leaving neither a partial file nor a temporary folder.

These run the real ``obligo`` command in a subprocess: signals, pipes, file modes and disk
errors are the operating system's.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine_helpers import shop_contract

OBLIGO = [sys.executable, "-m", "obligo"]
REPO = Path(__file__).resolve().parent.parent
AT = "2026-03-10T12:00"

CONTRACT = shop_contract()

# January: one hour down of 744 -> 99.865591398%, breached.
LOG = (
    json.dumps(
        {
            "type": "incident",
            "id": "I-1",
            "severity": 1,
            "start": "2026-01-10T10:00:00+01:00",
            "end": "2026-01-10T11:00:00+01:00",
        }
    )
    + "\n"
)


def run(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    **kwargs: object,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*OBLIGO, *args],
        cwd=cwd,
        capture_output="stdout" not in kwargs,
        stderr=subprocess.PIPE if "stdout" in kwargs else None,
        text=True,
        env=env,
        timeout=60,
        **kwargs,
    )


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    (tmp_path / "shop.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(LOG, encoding="utf-8")
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    """Temporary files of an output left in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".obligo-tmp"))


# ------------------------------------------------------------------------ -o naming an input
@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("events.jsonl", "the event log events.jsonl"),
        ("./events.jsonl", "the event log events.jsonl"),
        ("sub/../events.jsonl", "the event log events.jsonl"),
        ("link.jsonl", "the event log events.jsonl"),
        ("hard.jsonl", "the event log events.jsonl"),
        ("shop.sla", "the contract shop.sla"),
        ("./shop.sla", "the contract shop.sla"),
    ],
)
def test_eval_refuses_to_write_the_report_over_an_input(work: Path, target: str, what: str) -> None:
    (work / "sub").mkdir()
    (work / "link.jsonl").symlink_to("events.jsonl")
    os.link(work / "events.jsonl", work / "hard.jsonl")
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", target, cwd=work)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: will not write the report to {target}: it is {what}, read by this run\n"
    )
    assert result.stdout == ""
    assert (work / "events.jsonl").read_text(encoding="utf-8") == LOG
    assert (work / "shop.sla").read_text(encoding="utf-8") == CONTRACT


def test_eval_refuses_an_imported_contract_and_standard_input_read_from_the_target(
    work: Path,
) -> None:
    (work / "corporate.sla").write_text(
        'contract corp "Corporate"\n  level corporate\n  timezone "Europe/Berlin"\n'
        "  term 2026-01-01 to 2026-12-31\n",
        encoding="utf-8",
    )
    (work / "acme.sla").write_text(
        'import "corporate.sla"\n\ncontract acme "Acme"\n  level customer acme\n',
        encoding="utf-8",
    )
    before = (work / "corporate.sla").read_text(encoding="utf-8")
    result = run(
        "eval", "acme.sla", "--events", "events.jsonl", "--at", AT, "-o", "corporate.sla", cwd=work
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "error: will not write the report to corporate.sla: it is the imported contract"
        " corporate.sla, read by this run\n"
    )
    assert (work / "corporate.sla").read_text(encoding="utf-8") == before

    with open(work / "events.jsonl", encoding="utf-8") as log:
        result = run(
            "eval", "shop.sla", "--events", "-", "--at", AT, "-o", "events.jsonl", cwd=work,
            stdin=log,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "error: will not write the report to events.jsonl: it is the event log (standard"
        " input), read by this run\n"
    )
    assert (work / "events.jsonl").read_text(encoding="utf-8") == LOG


def test_eval_refuses_a_log_found_in_a_folder_or_by_a_glob(work: Path) -> None:
    (work / "logs").mkdir()
    (work / "logs" / "march.jsonl").write_text(LOG, encoding="utf-8")
    for given in ("logs", "logs/*.jsonl"):
        result = run(
            "eval", "shop.sla", "--events", given, "--at", AT, "-o", "logs/march.jsonl", cwd=work
        )
        assert result.returncode == 2
        assert result.stderr == (
            "error: will not write the report to logs/march.jsonl: it is the event log"
            " logs/march.jsonl, read by this run\n"
        )
    assert (work / "logs" / "march.jsonl").read_text(encoding="utf-8") == LOG


def test_baseline_refuses_to_write_over_its_log_contract_and_imports(work: Path) -> None:
    for target, what in (("events.jsonl", "the event log"), ("shop.sla", "the contract")):
        result = run(
            "baseline", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", target, cwd=work
        )
        assert result.returncode == 2
        assert result.stderr == (
            f"error: will not write the report to {target}: it is {what} {target},"
            " read by this run\n"
        )
    assert (work / "events.jsonl").read_text(encoding="utf-8") == LOG
    assert (work / "shop.sla").read_text(encoding="utf-8") == CONTRACT

    import shutil

    shutil.copytree(REPO / "contracts" / "nimbus", work / "nimbus")
    corporate = (work / "nimbus" / "corporate.sla").read_text(encoding="utf-8")
    for target in ("nimbus/globex.sla", "nimbus/corporate.sla"):
        result = run(
            "baseline", "nimbus/globex-db.sla", "--events", "events.jsonl", "-o", target, cwd=work
        )
        assert result.returncode == 2
        assert result.stderr.startswith(
            f"error: will not write the report to {target}: it is the imported contract "
        )
        assert result.stderr.endswith(f"{target.split('/')[1]}, read by this run\n")
    assert (work / "nimbus" / "corporate.sla").read_text(encoding="utf-8") == corporate


# ------------------------------------------------------------------- errors writing the output
@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing/report.txt", "the folder missing does not exist"),
        ("shop.sla/report.txt", "a part of the path is not a folder"),
        ("/proc/report.txt", "No such file or directory"),
        ("/dev/full", "No space left on device"),
    ],
)
@pytest.mark.parametrize("command", ["eval", "baseline"])
def test_an_output_that_cannot_be_written_is_one_line_naming_it(
    work: Path, target: str, reason: str, command: str
) -> None:
    result = run(
        command, "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", target, cwd=work
    )
    assert result.returncode == 2
    assert result.stderr == f"error: cannot write {target}: {reason}\n"
    assert leftovers(work) == []


def test_an_empty_output_name_is_a_usage_error_not_standard_output(work: Path) -> None:
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "", cwd=work)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: Invalid value for '-o' / '--output': an empty file name\n"
    )


def test_a_long_output_name_still_fits_its_temporary_file(work: Path) -> None:
    name = "r" * 250 + ".txt"  # 254 bytes, a temporary name built on it would pass 255
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", name, cwd=work)
    assert result.returncode == 0, result.stderr
    assert (work / name).read_text(encoding="utf-8").startswith("contract shop")
    assert leftovers(work) == []


def test_a_folder_as_output_is_a_usage_error(work: Path) -> None:
    (work / "out").mkdir()
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "out", cwd=work)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'out' is a directory" in result.stderr


@pytest.mark.parametrize("command", [["eval"], ["baseline"], ["check"]])
def test_a_full_standard_output_is_one_line(work: Path, command: list[str]) -> None:
    args = [*command, "shop.sla"]
    if command == ["check"]:  # a finding to print
        (work / "bad.sla").write_text("contract\n", encoding="utf-8")
        args = ["check", "bad.sla"]
    else:
        args += ["--events", "events.jsonl", "--at", AT]
    with open("/dev/full", "w") as full:
        result = run(*args, cwd=work, stdout=full)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: cannot write to standard output: No space left on device"
    )
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_a_closed_standard_output_is_one_line(work: Path) -> None:
    result = subprocess.run(
        [*OBLIGO, "eval", "shop.sla", "--events", "events.jsonl", "--at", AT],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 2
    assert result.stderr == "error: cannot write to standard output: it is closed\n"


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_reader_that_closed_the_pipe_ends_the_run_quietly(work: Path, output_format: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: `| head -0`
    try:
        result = run(
            "eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "--format", output_format,
            cwd=work, stdout=write_end,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == ""


def test_a_pipe_into_head_shows_the_first_line_and_no_message(work: Path) -> None:
    shell = subprocess.run(
        f"{sys.executable} -m obligo eval shop.sla --events events.jsonl --at {AT} | head -1",
        shell=True,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.stdout == 'contract shop "Web shop" version 2\n'
    assert shell.stderr == ""


# ------------------------------------------------------------------------------ atomic writes
def test_the_report_replaces_the_target_keeping_its_mode(work: Path) -> None:
    target = work / "report.txt"
    target.write_text("last month's report\n", encoding="utf-8")
    target.chmod(0o640)
    result = run(
        "eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "report.txt", cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith('contract shop "Web shop" version 2\n')
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(work) == []


def test_a_new_report_gets_the_mode_the_umask_allows(work: Path) -> None:
    result = subprocess.run(
        [*OBLIGO, "eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "new.json",
         "--format", "json"],
        cwd=work, capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: os.umask(0o027),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((work / "new.json").stat().st_mode) == 0o640
    assert json.loads((work / "new.json").read_text(encoding="utf-8"))["contract"]["id"] == "shop"


def test_a_report_written_through_a_link_replaces_the_file_it_points_to(work: Path) -> None:
    (work / "reports").mkdir()
    (work / "reports" / "march.txt").write_text("old\n", encoding="utf-8")
    (work / "latest.txt").symlink_to("reports/march.txt")
    result = run(
        "eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "latest.txt", cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert (work / "latest.txt").is_symlink()
    assert (work / "reports" / "march.txt").read_text(encoding="utf-8").startswith("contract shop")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away takes the superuser")
def test_a_report_replaced_by_the_superuser_keeps_the_owner(work: Path) -> None:
    target = work / "report.txt"
    target.write_text("old\n", encoding="utf-8")
    os.chown(target, 4321, 4321)
    result = run(
        "eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "report.txt", cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4321)
    assert target.read_text(encoding="utf-8").startswith("contract shop")


def test_a_read_only_target_is_refused_not_replaced(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename could replace a file its owner made read-only; writing in place could not. (The
    tests run as root, who may write anything: the permission is answered for it.)"""
    from obligo import _output

    target = work / "report.txt"
    target.write_text("kept\n", encoding="utf-8")
    target.chmod(0o444)
    monkeypatch.setattr(_output.os, "access", lambda path, mode: False)
    with pytest.raises(_output.OutputError) as caught:
        _output.write_file(str(target), "new\n")
    assert caught.value.message == f"cannot write {target}: Permission denied"
    assert target.read_text(encoding="utf-8") == "kept\n"


def test_a_target_that_is_not_a_regular_file_is_written_as_a_stream(work: Path) -> None:
    os.mkfifo(work / "pipe")
    reader = subprocess.Popen(["cat", str(work / "pipe")], stdout=subprocess.PIPE, text=True)
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, "-o", "pipe", cwd=work)
    assert result.returncode == 0, result.stderr
    shown, _ = reader.communicate(timeout=30)
    assert shown.startswith('contract shop "Web shop" version 2\n')
    assert stat.S_ISFIFO((work / "pipe").stat().st_mode)  # still the pipe, not replaced
    assert leftovers(work) == []


def test_fmt_rewrites_a_file_through_its_link_keeping_mode_and_link(work: Path) -> None:
    (work / "real.sla").write_text(
        CONTRACT.replace('"Web shop" version 2', '"Web shop"  version 2'), encoding="utf-8"
    )
    (work / "real.sla").chmod(0o600)
    (work / "alias.sla").symlink_to("real.sla")
    result = run("fmt", "alias.sla", cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "reformatted alias.sla\n"
    assert (work / "alias.sla").is_symlink()
    assert (work / "real.sla").read_text(encoding="utf-8") == CONTRACT
    assert stat.S_IMODE((work / "real.sla").stat().st_mode) == 0o600
    assert leftovers(work) == []


def test_fmt_that_cannot_replace_the_file_is_one_line_and_keeps_it(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename fails (as on a full or read-only file system): the contract is untouched,
    no temporary file is left, and the other files are still formatted."""
    from click.testing import CliRunner

    from obligo import _output
    from obligo.cli import cli

    messy = CONTRACT.replace('"Web shop" version 2', '"Web shop"  version 2')
    (work / "a.sla").write_text(messy, encoding="utf-8")
    (work / "b.sla").write_text(messy, encoding="utf-8")
    real_replace = os.replace

    def failing_replace(source: str, target: str) -> None:
        if target.endswith("a.sla"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(_output.os, "replace", failing_replace)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["fmt", "a.sla", "b.sla"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: cannot write a.sla: No space left on device\nreformatted b.sla\n"
    )
    assert (work / "a.sla").read_text(encoding="utf-8") == messy
    assert (work / "b.sla").read_text(encoding="utf-8") == CONTRACT
    assert leftovers(work) == []


def test_a_write_stopped_half_way_leaves_the_previous_file(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted after the text is written but before the rename (a signal): the previous
    report is whole and the temporary file is gone."""
    from obligo import _output

    target = work / "report.txt"
    target.write_text("previous report\n", encoding="utf-8")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _output.write_file(str(target), "new report\n" * 1000)
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert leftovers(work) == []


# ----------------------------------------------------------------------------------- signals
def big_log(path: Path, records: int) -> None:
    with path.open("w", encoding="utf-8") as log:
        for i in range(records):
            day, hour = 1 + i % 28, i % 24
            log.write(
                f'{{"type":"incident","id":"I{i}","severity":{1 + i % 3},'
                f'"start":"2026-02-{day:02d}T{hour:02d}:00:00Z",'
                f'"end":"2026-02-{day:02d}T{hour:02d}:00:{1 + i % 50:02d}Z"}}\n'
            )


@pytest.mark.parametrize(
    ("signum", "code", "name"), [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_a_signal_stops_the_run_cleanly(work: Path, signum: int, code: int, name: str) -> None:
    big_log(work / "big.jsonl", 300_000)
    temporary = work / "tmp"
    temporary.mkdir()
    (work / "report.txt").write_text("previous report\n", encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [*OBLIGO, "eval", "shop.sla", "--events", "big.jsonl", "--at", AT, "-o", "report.txt"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # The log's temporary folder appears once the log is being read: the run is under way.
    deadline = time.monotonic() + 30
    while not any(temporary.iterdir()) and process.poll() is None:
        assert time.monotonic() < deadline, "the log was never opened"
        time.sleep(0.02)
    time.sleep(0.3)
    assert process.poll() is None, "the evaluation ended before the signal: make the log larger"
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr == f"error: interrupted by {name}\n"
    assert stdout == ""
    assert (work / "report.txt").read_text(encoding="utf-8") == "previous report\n"
    assert list(temporary.iterdir()) == []
    assert leftovers(work) == []


def test_closing_the_log_removes_its_folder_even_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal while the database closes, or while its folder is being removed, still leaves
    no folder behind; the interruption goes on once the folder is gone."""
    import shutil
    import tempfile
    from zoneinfo import ZoneInfo

    import obligo
    from obligo.events import EventLog, loader, schema_for

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    schema = schema_for(obligo.parse(CONTRACT, "shop.sla"), {})
    records = [json.loads(LOG)]

    log = EventLog.load([records], schema, ZoneInfo("Europe/Berlin"))
    database = log.connection

    class Interrupting:
        def close(self) -> None:
            raise KeyboardInterrupt

    log.connection = Interrupting()  # type: ignore[assignment]
    with pytest.raises(KeyboardInterrupt):
        log.close()
    database.close()
    assert list(tmp_path.iterdir()) == []

    log = EventLog.load([records], schema, ZoneInfo("Europe/Berlin"))
    real_rmtree = shutil.rmtree
    calls: list[str] = []

    def interrupted_once(path: str | Path, ignore_errors: bool = False) -> None:
        calls.append(str(path))
        if len(calls) == 1:
            raise KeyboardInterrupt
        real_rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(loader.shutil, "rmtree", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        log.close()
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------ standard streams
def test_fmt_of_a_closed_standard_input_is_one_line(work: Path) -> None:
    result = subprocess.run(
        [*OBLIGO, "fmt", "-"], cwd=work, capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: os.close(0),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == "<stdin>:1:1: error: cannot read standard input: it is closed\n"


def test_fmt_of_standard_input_that_is_not_utf8_is_refused_as_a_file_is(work: Path) -> None:
    result = subprocess.run(
        [*OBLIGO, "fmt", "-"], cwd=work, input=b"\xff\xfe", capture_output=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == (
        b"<stdin>:1:1: error: cannot read standard input: 'utf-8' codec can't decode byte 0xff"
        b" in position 0: invalid start byte\n"
    )


def test_fmt_of_standard_input_reads_line_ends_as_a_file_does(work: Path) -> None:
    result = subprocess.run(
        [*OBLIGO, "fmt", "-"], cwd=work, input=CONTRACT.replace("\n", "\r\n").encode(),
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == CONTRACT.encode()


def test_an_output_encoding_that_cannot_show_the_report_is_one_line(work: Path) -> None:
    (work / "shop.sla").write_text(CONTRACT.replace("Web shop", "Café"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = run("eval", "shop.sla", "--events", "events.jsonl", "--at", AT, cwd=work, env=env)
    assert result.returncode == 2
    assert result.stderr == (
        "error: cannot write to standard output: its encoding (ascii) cannot show 'é'\n"
    )
