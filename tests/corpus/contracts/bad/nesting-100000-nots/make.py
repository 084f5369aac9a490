"""Makes what cannot be committed as it is."""


def make(folder):
    text = (
        'contract deep "Deep"\n  timezone "UTC"\n\nmetric m "M"\n  count of incident records where '
        + "not " * 100_000
        + "a = 1, per calendar month\n"
    )
    (folder / "main.sla").write_text(text, encoding="utf-8")
