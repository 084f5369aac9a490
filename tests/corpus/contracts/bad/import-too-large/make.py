"""Makes what cannot be committed as it is."""


def make(folder):
    line = b"# " + b"x" * 1021 + b"\n"
    with open(folder / "huge.sla", "wb") as stream:
        for _ in range(8 * 1024 + 1):
            stream.write(line)
