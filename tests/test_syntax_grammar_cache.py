"""The grammar's LALR tables kept in the user's cache folder: a second start reads them, a
changed grammar is not served stale tables, and a cache that cannot be used changes nothing but
the time."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark

import obligo
from obligo.syntax import grammar

CONTRACT = Path("contracts/acme-hosting.sla")


class BuildCount:
    """Counts Lark's builds of parse tables (reading cached tables builds none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.builds = 0
        real = Lark._build_parser

        def counted(lark: Lark) -> object:
            self.builds += 1
            return real(lark)

        monkeypatch.setattr(Lark, "_build_parser", counted)


def _fresh_parser() -> Lark:
    """A parser as a new process would make it (``parser`` is built once per process)."""
    built: Lark = grammar.parser.__wrapped__()  # type: ignore[attr-defined]
    return built


def _parses_the_contract(parser: Lark) -> str:
    return parser.parse(CONTRACT.read_text(encoding="utf-8")).pretty()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_a_second_start_reads_the_tables_the_first_left(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = BuildCount(monkeypatch)
    first = _fresh_parser()
    assert count.builds == 1
    kept = grammar.cache_file(grammar.grammar_text())
    assert kept is not None and kept.parent == cache_home / "obligo"
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    second = _fresh_parser()
    assert count.builds == 1  # read, not built
    assert _parses_the_contract(second) == _parses_the_contract(first)


def test_the_cached_parser_still_refuses_control_characters(cache_home: Path) -> None:
    _fresh_parser()
    cached = _fresh_parser()  # from the cache: the lexer's callbacks given again
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        cached.parse('contract c "a\x01b" version 1\n')
    assert "U+0001" in str(caught.value)


def test_a_changed_grammar_is_not_served_the_old_tables(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = grammar.grammar_text()
    _fresh_parser()
    changed = original + "\n// a comment: the same language, another grammar text\n"
    assert grammar.cache_file(changed) != grammar.cache_file(original)
    monkeypatch.setattr(grammar, "grammar_text", lambda: changed)
    count = BuildCount(monkeypatch)
    _fresh_parser()
    assert count.builds == 1
    assert len(list((cache_home / "obligo").iterdir())) == 2


def test_a_damaged_cache_file_is_built_again(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _parses_the_contract(_fresh_parser())
    kept = grammar.cache_file(grammar.grammar_text())
    assert kept is not None
    kept.write_bytes(kept.read_bytes()[:200])  # cut short, as by a crash while writing
    count = BuildCount(monkeypatch)
    assert _parses_the_contract(_fresh_parser()) == expected
    assert count.builds == 1
    _fresh_parser()
    assert count.builds == 1  # the damaged file was replaced by a whole one


def test_no_usable_cache_folder_still_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME naming a file: no folder can be made there (root ignores permissions,
    a file in the way does not)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert grammar.cache_file(grammar.grammar_text()) is None
    count = BuildCount(monkeypatch)
    assert "contract" in _parses_the_contract(_fresh_parser())
    _fresh_parser()
    assert count.builds == 2  # built at every start, as without a cache
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_cache_entry_that_cannot_be_written_leaves_nothing_behind(cache_home: Path) -> None:
    """A folder where the tables' file should be: neither read nor written, the parser works."""
    kept = grammar.cache_file(grammar.grammar_text())
    assert kept is not None
    kept.mkdir()
    assert "contract" in _parses_the_contract(_fresh_parser())
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    assert kept.is_dir()
