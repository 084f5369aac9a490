"""Makes what cannot be committed as it is."""

import os


def make(folder):
    os.mkfifo(folder / "main.sla")
