"""Timing helpers shared by the benchmarks: best-of-N wall time, printed as ratios."""
import gc
import time


def best_time(fn, repeat=3):
    """Best wall time of `repeat` calls (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # start clean: no garbage left by the other engine's run
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def report(title, rows):
    """rows: [(name, seconds_or_number, unit)]; the first row is the baseline of the ratios."""
    print(f"\n{title}")
    base = rows[0][1]
    for name, x, unit in rows:
        print(f"  {name:<42} {x:>12.4g} {unit:<6} ratio {x / base:6.3f}")
