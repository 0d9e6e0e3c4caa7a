"""Measure start-up: how long loading the bundled content and building the app take.

Run from the project root:  .venv/bin/python bench/startup.py [--repeat 20]
Prints the median and the slowest of each, in milliseconds. A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import ROOT, create_app  # noqa: E402
from bril.content import load_library  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    config = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"}
    content = [timed(lambda: load_library(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml", ROOT))
               for _ in range(args.repeat)]
    app = [timed(lambda: create_app(config)) for _ in range(args.repeat)]
    library, _ = load_library(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml", ROOT)
    scenes = sum(len(s.scenes) for s in library.stories.values())
    steps = sum(len(d.steps) for d in library.dilemmas.values())
    print(f"content: {len(library.stories)} stories ({scenes} scenes), {len(library.dilemmas)} dilemma cards "
          f"({steps} steps), {len(library.meldroutes.routes)} meldroutes")
    print(f"load content   median {statistics.median(content):7.1f} ms   max {max(content):7.1f} ms")
    print(f"create_app     median {statistics.median(app):7.1f} ms   max {max(app):7.1f} ms   ({args.repeat} runs)")


if __name__ == "__main__":
    main()
