"""Makes what cannot be committed as it is."""


def make(folder):
    (folder / "binary.sla").write_bytes(b"contract b\n\x00\x01\x02 secret\n")
