#!/usr/bin/env python3
"""Builds ../training/train.csv and test.csv from themes/*.txt and ../taxonomy.json.

Deterministic: a comment goes to the test split when the SHA-256 of its normalised text falls in the
lowest 20% of the hash space, so adding comments never moves existing ones between splits.
Run from anywhere: python3 data-samples/corpus/build_corpus.py
"""
import csv, hashlib, json, re, sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAXONOMY = HERE.parent / "taxonomy.json"
OUT = HERE.parent / "training"
TEST_SHARE = 0.20


def normalise(text):
    return re.sub(r"\s+", " ", text.strip().lower())


def main():
    taxonomy = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    outcome_of = {t["id"]: t["outcome"] for t in taxonomy["themes"]}
    rows, seen, duplicates = [], set(), 0
    for path in sorted((HERE / "themes").glob("*.txt")):
        theme = path.stem
        if theme not in outcome_of:
            sys.exit(f"{path.name}: '{theme}' is not a theme in taxonomy.json")
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            key = normalise(text)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            rows.append({"text": text, "theme": theme, "outcome": outcome_of[theme], "source": f"written:{theme}"})

    missing = sorted(set(outcome_of) - {r["theme"] for r in rows})
    OUT.mkdir(exist_ok=True)
    train, test = [], []
    for row in rows:
        h = int(hashlib.sha256(normalise(row["text"]).encode("utf-8")).hexdigest()[:8], 16) / 2**32
        (test if h < TEST_SHARE else train).append(row)
    for name, data in (("train.csv", train), ("test.csv", test)):
        with open(OUT / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["text", "theme", "outcome", "source"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)

    print(f"{len(rows)} comments ({duplicates} exact duplicates dropped): train {len(train)}, test {len(test)}")
    print("per outcome (train/test):", {o: (sum(1 for r in train if r['outcome'] == o), sum(1 for r in test if r['outcome'] == o)) for o in range(7)})
    counts = Counter(r["theme"] for r in rows)
    print("smallest themes:", counts.most_common()[-5:])
    if missing:
        print("WARNING: themes with no comments:", ", ".join(missing))


if __name__ == "__main__":
    main()
