"""Extraction benchmark: generated documents (TXT and DOCX), reading alone against reading plus extraction.

Run: .venv/bin/python bench/extract.py [--n 2000] [--docx-share 0.5]
Goals: at least 200 TXT documents per second read+extracted on one core, and (read+extract)/read time <= 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen import write_corpus  # noqa: E402
from tonghop.documents.read import read_document  # noqa: E402
from tonghop.extract import extract  # noqa: E402


def _time(paths: list[Path], with_extract: bool) -> float:
    started = time.perf_counter()
    for path in paths:
        doc = read_document(path)
        if with_extract:
            extract(doc)
    return time.perf_counter() - started


def main() -> None:
    """Generate the corpus, then time reading and reading+extraction per format (best of --rounds)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--docx-share", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-extract-") as tmp:
        started = time.perf_counter()
        paths = write_corpus(Path(tmp), args.n, docx_share=args.docx_share)
        print(f"generated {len(paths)} documents in {time.perf_counter() - started:.1f} s")
        by_format = {fmt: [p for p in paths if p.suffix == f".{fmt}"] for fmt in ("txt", "docx")}
        print(f"{'format':<6} {'docs':>5} {'read docs/s':>12} {'read+extract docs/s':>20} {'ratio':>6}")
        for fmt, group in by_format.items():
            if not group:
                continue
            _time(group[:20], True)  # warm imports and caches
            read = min(_time(group, False) for _ in range(args.rounds))
            both = min(_time(group, True) for _ in range(args.rounds))
            print(f"{fmt:<6} {len(group):>5} {len(group) / read:12.0f} {len(group) / both:20.0f} {both / read:6.2f}")
        total_read = sum(min(_time(g, False) for _ in range(1)) for g in by_format.values() if g)
        total_both = sum(min(_time(g, True) for _ in range(1)) for g in by_format.values() if g)
        print(f"all    {len(paths):>5} {len(paths) / total_read:12.0f} {len(paths) / total_both:20.0f} "
              f"{total_both / total_read:6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
