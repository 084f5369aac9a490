"""Makes what cannot be committed as it is."""

import os


def make(folder):
    os.symlink("/proc/self/environ", folder / "env.sla")
