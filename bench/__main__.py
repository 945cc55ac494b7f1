"""`python -m bench [name ...]`: run every bench/bench_*.py (or the ones named) and print their figures.

A benchmark module exposes `main() -> None`. Names may be given with or without the `bench_` prefix.
Benchmarks measure; they are not tests. Results worth keeping go to BENCHMARKS.md.
"""

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

PREFIX = "bench_"


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith(PREFIX))


def main(argv: list[str]) -> int:
    names = available()
    if argv:
        wanted = [arg if arg.startswith(PREFIX) else PREFIX + arg for arg in argv]
        unknown = [name for name in wanted if name not in names]
        if unknown:
            print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
            return 2
        names = wanted
    failed = []
    for name in names:
        print(f"== {name.removeprefix(PREFIX)}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"{__package__}.{name}").main()
        except Exception:  # report and go on with the next benchmark
            traceback.print_exc()
            failed.append(name)
        print(f"== {name.removeprefix(PREFIX)}: {time.perf_counter() - started:.1f} s in all\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
