#!/usr/bin/env python3
"""Compares the cold starts of native executables (exec -> first successful /inject of the typical pod). Prints
figures; asserts nothing.

    native-tests/bench/compare_starts.py [--rounds N] [--native-options "-Xmx128m"] EXECUTABLE...

A start depends on how the executable's pages came into the page cache: a file written minutes before starts sooner
than the same bytes whose pages were reclaimed and read back by earlier starts, by a few milliseconds on a machine
that pages cold memory out. Two builds made
an hour apart are therefore not compared as they lie on disk: each is first copied into a new file, all at the same
moment, and the copies are started in rounds (one start of each per round, the first of a round rotating).
"""
import argparse
import pathlib
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("executables", nargs="+")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--native-options", default="-Xmx128m")
    args = parser.parse_args()
    if any(e.endswith(".jar") for e in args.executables):
        parser.error("native executables only: a jar starts in a second or more, where the page cache is noise")
    bench.OPTIONS["native"] = args.native_options.split()
    with tempfile.TemporaryDirectory(prefix="compare-starts-") as folder:
        copies = [bench.fresh_copy(e, folder, f"{i}-{pathlib.Path(e).name}") for i, e in enumerate(args.executables)]
        times = {c: [] for c in copies}
        for r in range(args.rounds):
            for copy in copies[r % len(copies):] + copies[:r % len(copies)]:
                times[copy].append(bench.starts(copy, n=1)[0] * 1000)
        for executable, copy in zip(args.executables, copies):
            t = times[copy]
            print(f"{executable}: best {min(t):.1f} ms, median {statistics.median(t):.1f} ms "
                  f"(of {len(t)}; all {' '.join(f'{x:.0f}' for x in t)})")


if __name__ == "__main__":
    main()
