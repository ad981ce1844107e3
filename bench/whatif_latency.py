#!/usr/bin/env python3
"""How quickly a what-if edit is answered: drives `twb-cli whatif RUN --serve` (what the
Explain tab's what-if panel talks to) and prints the time to load the run and the round trip of
each kind of edit, as the window sees it (request written -> answer read).

Usage: bench/whatif_latency.py RUN [--cli build/bin/twb-cli] [--index 100] [--repeats 20]
       [--threads 1]

Edits, cycled: none, mask one token, mask three tokens, mask a time range of every channel,
mask one channel, switch one head off, everything at once. The first request of a sample also
prepares the data (reads and scales the file); later ones reuse it, so the first is reported
apart. Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "twb-cli"))
    parser.add_argument("--index", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    start = time.perf_counter()
    child = subprocess.Popen([args.cli, "whatif", args.run, "--serve"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, bufsize=1)
    ready = json.loads(child.stdout.readline() or "{}")
    if not ready.get("ready"):
        sys.exit("twb-cli whatif did not start: " + child.stderr.read())
    loaded_ms = (time.perf_counter() - start) * 1e3

    def ask(edit):
        request = dict(edit, index=args.index)
        t0 = time.perf_counter()
        child.stdin.write(json.dumps(request) + "\n")
        child.stdin.flush()
        answer = json.loads(child.stdout.readline())
        if not answer.get("ok"):
            sys.exit("the request %s failed: %s" % (request, answer.get("error")))
        return (time.perf_counter() - t0) * 1e3, answer

    first_ms, first = ask({})
    input_values = first.get("input_values", 0)
    edits = {
        "none": {},
        "one token": {"mask_tokens": [3]},
        "three tokens": {"mask_tokens": [3, 4, 5]},
        "time range": {"regions": [[0, 48, 0, -1]]},
        "one channel": {"regions": [[0, -1, 0, 1]]},
        "head off": {"heads_off": [[0, 0]]},
        "all at once": {"mask_tokens": [3], "regions": [[0, 48, 0, -1]], "heads_off": [[0, 0]]},
    }
    times = {name: [] for name in edits}
    cli_times = {name: [] for name in edits}
    for _ in range(args.repeats):
        for name, edit in edits.items():
            ms, answer = ask(edit)
            times[name].append(ms)
            cli_times[name].append(answer["ms"])
    child.stdin.close()
    child.wait(timeout=30)

    print("run %s (%s, %s), sample %d: %s" % (args.run, ready["model"], ready["task"], args.index,
                                             first["label"]))
    print("input %d values; threads %d; %d repeats per edit" % (input_values, args.threads,
                                                               args.repeats))
    print("load the run (process start, plugins, weights): %.0f ms" % loaded_ms)
    print("first answer (prepares the sample's data): %.0f ms" % first_ms)
    print("%-14s %10s %10s %10s %12s" % ("edit", "median ms", "p90 ms", "max ms", "in CLI (med)"))
    for name in edits:
        values = sorted(times[name])
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print("%-14s %10.1f %10.1f %10.1f %12.1f" % (name, statistics.median(values), p90,
                                                     values[-1], statistics.median(cli_times[name])))


if __name__ == "__main__":
    main()
