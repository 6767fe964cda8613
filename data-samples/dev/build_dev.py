#!/usr/bin/env python3
"""Builds dev.csv: a weakly labelled DEVELOPMENT set from the final strategy in ../../shared/seeds (or $SEEDS).

Purpose: measure how the model generalises to text it was not written against (the strategy's own register).
It is NEVER trained on. It is only reported (in the model card), not used to pick trainers or settings,
which are chosen by 5-fold cross-validation on train.csv.

Weak label = the strategy section a sentence sits in: "Shared outcome N" sections -> N; the closing
"Enablers and approach to delivering the strategy" section -> 0 (General). Headings, indicator targets
with placeholders and very short or very long lines are skipped. Provenance (file:line) is kept per row.
Run: python3 data-samples/dev/build_dev.py
"""
import csv, os, re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = Path(os.environ.get("SEEDS", HERE.parents[2] / "shared" / "seeds"))
if not SEEDS.exists():
    SEEDS = Path("/work/shared/seeds")
SOURCE = "integrated-care-strategy-2023-final-draft.txt"
SKIP = re.compile(r"^(what we heard|priorities to deliver|indicators for this outcome|together we will|enabler:|shared outcome)", re.I)


def sentences(line):
    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z'\"])", line):
        s = s.strip().lstrip("-• ").strip()
        words = len(s.split())
        if 4 <= words <= 45 and "[" not in s and not SKIP.match(s):
            yield s


def main():
    rows, outcome, seen = [], None, set()
    for number, raw in enumerate((SEEDS / SOURCE).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        m = re.match(r"Shared outcome (\d):", line, re.I)
        if m:
            outcome = int(m.group(1))
            continue
        if line.startswith("Enablers and approach to delivering the strategy"):
            outcome = 0
            continue
        if outcome is None or not line:
            continue
        for s in sentences(line):
            key = s.lower()
            if key in seen:
                continue
            seen.add(key)
            rows.append({"text": s, "outcome": outcome, "source": f"weak:{SOURCE}:{number}"})
    with open(HERE / "dev.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["text", "outcome", "source"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} dev rows:", {o: sum(1 for r in rows if r["outcome"] == o) for o in range(7)})


if __name__ == "__main__":
    main()
