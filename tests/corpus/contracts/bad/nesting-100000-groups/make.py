"""Makes what cannot be committed as it is."""


def make(folder):
    text = (
        'contract deep "Deep"\n  timezone "UTC"\n\nservice s "S"\n\nmetric a "A"\n  availability of s per calendar month\n  down during incident records\n\nmetric m "M"\n  availability of s per calendar month\n  down when '
        + "any of [all of [" * 50_000
        + "a"
        + "]]" * 50_000
        + " is down\n"
    )
    (folder / "main.sla").write_text(text, encoding="utf-8")
