"""Makes what cannot be committed as it is."""

import os


def make(folder):
    os.symlink("/dev/zero", folder / "zero.sla")
