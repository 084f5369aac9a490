"""Makes what cannot be committed as it is."""


def make(folder):
    with open(folder / "main.sla", "wb") as stream:
        stream.write(b'contract big "Big"\n')
        stream.write(b"#" * (8 * 1024 * 1024))
