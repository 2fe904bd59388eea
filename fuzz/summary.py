#!/usr/bin/env python3
"""Prints the README's results table from fuzz/logs/TARGET.log (run.sh's logs)."""
import glob, os, re, sys

rows = []
for log in sorted(glob.glob(os.path.join(os.path.dirname(__file__) or ".", "logs", "*.log"))):
    target = os.path.basename(log)[:-4]
    text = open(log, errors="replace").read()
    lines = [l for l in text.splitlines() if re.match(r"#\d+", l)]
    last = lines[-1] if lines else ""
    cov = re.search(r"cov: (\d+)", last)
    ft = re.search(r"ft: (\d+)", last)
    execs = re.search(r"stat::number_of_executed_units: (\d+)", text)
    secs = re.search(r"Done \d+ runs in (\d+) second", text)
    rss = re.search(r"stat::peak_rss_mb:\s+(\d+)", text)
    crash = "crash" if re.search(r"==\d+== ERROR|panicked at|deadly signal", text) else "none"
    rows.append((target, secs.group(1) if secs else "?", execs.group(1) if execs else "?",
                 cov.group(1) if cov else "?", ft.group(1) if ft else "?",
                 rss.group(1) if rss else "?", crash))
print("| target | seconds | executions | cov | ft | peak RSS MiB | crashes |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in rows:
    print("| `%s` | %s | %s | %s | %s | %s | %s |" % r)
