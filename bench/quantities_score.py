"""Score extract_quantities on labelled corpus files the way shared/tools/score_extract.py does; time it.

Usage: .venv/bin/python bench/quantities_score.py [LABELS.jsonl] [--verbose]
"""

from __future__ import annotations

import json
import os
import sys
import time
import unicodedata

from tonghop.extract.quantities import extract_quantities

UNIT_CLASS = {
    "đồng": "money",
    "vnd": "money",
    "đ": "money",
    "%": "pct",
    "phần trăm": "pct",
    "m²": "area",
    "m2": "area",
    "ha": "area",
    "héc-ta": "area",
    "km²": "area",
    "km2": "area",
    "tấn": "mass",
    "kg": "mass",
    "tạ": "mass",
    "phút": "time",
    "giờ": "time",
    "km": "len",
    "m": "len",
}


def unit_class(u: str | None) -> str | None:
    """The scorer's unit class of U (None when it has none)."""
    return UNIT_CLASS.get(unicodedata.normalize("NFC", u).casefold().strip()) if u else None


def hits(truth: list[dict], pred: list[dict]) -> int:
    """Greedy matches by value and, for classed units, by unit class."""
    used, n = set(), 0
    for t in truth:
        for i, p in enumerate(pred):
            tv, pv, ct = float(t["value"]), float(p["value"]), unit_class(t.get("unit"))
            if (
                i not in used
                and abs(pv - tv) <= 1e-9 * max(1.0, abs(tv))
                and (ct is None or ct == unit_class(p.get("unit")))
            ):
                used.add(i)
                n += 1
                break
    return n


def main() -> None:
    """Print P/R/F1 over the labelled files and the speed in µs per KB."""
    labels = next((a for a in sys.argv[1:] if not a.startswith("--")), "/work/shared/corpus/labels.jsonl")
    tp = n_pred = n_true = 0
    texts = []
    for line in open(labels, encoding="utf-8"):
        item = json.loads(line)
        text = item.get("text") or open(os.path.join(os.path.dirname(labels), item["file"]), encoding="utf-8").read()
        text = unicodedata.normalize("NFC", text)
        texts.append(text)
        truth = item["truth"].get("quantities") or []
        pred = [q.__dict__ for q in extract_quantities(text)]
        h = hits(truth, pred)
        tp, n_pred, n_true = tp + h, n_pred + len(pred), n_true + len(truth)
        if "--verbose" in sys.argv and (h < len(truth) or h < len(pred)):
            print(item["id"], "truth", [t["text"] for t in truth], "got", [(p["text"], p["unit"]) for p in pred])
    f1 = 2 * tp / (n_pred + n_true) if n_pred + n_true else 1.0
    print(f"quantities F1 {f1:.3f} (P {tp}/{n_pred} R {tp}/{n_true})")
    size_kb = sum(len(t.encode()) for t in texts) / 1024
    rounds, t0 = 50, time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            extract_quantities(t)
    per_round = (time.perf_counter() - t0) / rounds
    print(f"speed {per_round / size_kb * 1e6:.0f} µs/KB, {len(texts) / per_round:.0f} docs/s on these files")


if __name__ == "__main__":
    main()
