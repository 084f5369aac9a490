"""Makes what cannot be committed as it is."""


def make(folder):
    (folder / "latin.sla").write_bytes(b'contract latin "Caf\xe9"\n')
