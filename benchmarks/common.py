"""Timing helpers shared by the benchmarks: each contestant in its own process (paying for
its own garbage), the median of several runs, printed as ratios against a baseline."""

import gc
import statistics
import subprocess
import sys
import time


def best_time(fn, repeat=3):
    """Best wall time of `repeat` calls in this process (for quick, same-process comparisons)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # start clean: no garbage left by the other contestant's run
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def child_seconds(script, *args):
    """Run `python script --child ARGS...` in a fresh process; it prints its seconds last."""
    out = subprocess.run(
        [sys.executable, script, "--child", *map(str, args)], capture_output=True, text=True, check=True
    ).stdout
    return float(out.split()[-1])


def median_seconds(script, contestants, *args, runs=5):
    """{contestant: (median, runs)} over `runs` fresh processes each, taken in turns
    (a, b, a, b, ...) so that a slow spell of the machine hits every contestant alike."""
    times = {c: [] for c in contestants}
    for _ in range(runs):
        for c in contestants:
            times[c].append(child_seconds(script, c, *args))
    return {c: (statistics.median(t), t) for c, t in times.items()}


def report(title, rows):
    """rows: [(name, seconds_or_number, unit)]; the first row is the baseline of the ratios."""
    print(f"\n{title}")
    base = rows[0][1]
    for name, x, unit in rows:
        print(f"  {name:<42} {x:>12.4g} {unit:<6} ratio {x / base:6.3f}")
