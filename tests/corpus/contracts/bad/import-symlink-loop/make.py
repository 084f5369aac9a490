"""Makes what cannot be committed as it is."""

import os


def make(folder):
    os.symlink("b.sla", folder / "a.sla")
    os.symlink("a.sla", folder / "b.sla")
