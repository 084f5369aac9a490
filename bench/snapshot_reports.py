"""Write every bundled report to a folder, so that two versions of obligo can be compared byte
for byte (a reshaping must change none of them).

    .venv/bin/python bench/snapshot_reports.py OUT_DIR
    diff -r BEFORE_DIR AFTER_DIR

For each sample (`contracts/<name>/eval.json`): `obligo eval` in text and JSON; the agreement set
in `contracts/nimbus` evaluated against every sample log that names its customers is not
bundled, so only its `check --resolve` output is kept; for every contract file: `obligo check`
and `obligo fmt --diff` (what the formatter would change); for every sample: `obligo baseline`
in text and JSON. Each command's exit code is written beside its output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OBLIGO = [sys.executable, "-m", "obligo"]


def run(out: Path, name: str, args: list[str]) -> None:
    done = subprocess.run([*OBLIGO, *args], cwd=REPO, capture_output=True, check=False)
    (out / f"{name}.out").write_bytes(done.stdout)
    (out / f"{name}.err").write_bytes(done.stderr)
    (out / f"{name}.exit").write_text(f"{done.returncode}\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for sample in sorted(REPO.glob("contracts/*/eval.json")):
        spec = json.loads(sample.read_text(encoding="utf-8"))
        events = [arg for path in spec["events"] for arg in ("--events", path)]
        common = [spec["contract"], *events, "--at", spec["at"]]
        name = sample.parent.name
        run(out, f"eval-{name}-text", ["eval", *common])
        run(out, f"eval-{name}-json", ["eval", *common, "--format", "json"])
        run(out, f"baseline-{name}-text", ["baseline", *common])
        run(out, f"baseline-{name}-json", ["baseline", *common, "--format", "json"])
    for contract in sorted(REPO.glob("contracts/**/*.sla")):
        relative = contract.relative_to(REPO)
        name = str(relative).replace("/", "_")
        run(out, f"check-{name}", ["check", str(relative)])
        run(out, f"fmt-{name}", ["fmt", "--diff", str(relative)])
    run(out, "check-nimbus-set", ["check", "contracts/nimbus"])
    run(
        out,
        "resolve-nimbus-globex-db",
        ["check", "--resolve", "customer=globex,service=db", "contracts/nimbus"],
    )


if __name__ == "__main__":
    main()
