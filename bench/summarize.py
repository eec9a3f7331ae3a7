#!/usr/bin/env python3
"""Summarize a bench/run.sh output directory as Markdown: medians, ratios, peak RSS."""

import csv
import json
import os
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
FULL = "golayout packages"


def load(name):
    path = os.path.join(OUT, name + ".json")
    if not os.path.exists(path):
        return []
    return json.load(open(path))["results"]


def rss():
    table = {}
    path = os.path.join(OUT, "rss.tsv")
    if os.path.exists(path):
        for row in csv.DictReader(open(path), delimiter="\t"):
            table[(row["input"], row["command"])] = (int(row["peak_rss_kib"] or 0), row["exit"])
    return table


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def main():
    peak = rss()
    inputs = dict(line.rstrip("\n").split("\t", 1) for line in open(os.path.join(OUT, "inputs.tsv")))
    print("## Machine\n\n```")
    print(open(os.path.join(OUT, "machine.txt")).read().rstrip())
    print("```\n")
    notices = open(os.path.join(OUT, "notices.txt")).read().strip()
    if notices:
        print("Notices:\n")
        for line in notices.splitlines():
            print(f"* {line}")
        print()
    for key in ("compile", "stripped", "largest"):
        results = load(key)
        if not results:
            continue
        size = os.path.getsize(inputs[key])
        print(f"## {key}: `{inputs[key]}` ({size / 2**20:.1f} MiB)\n")
        base = next((r for r in results if r["command"] == FULL), None)
        base_med = statistics.median(base["times"]) if base else None
        print(f"| command | median ms | mean ± σ ms | user ms | sys ms | × {FULL} | peak RSS MiB | exit |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            med = statistics.median(r["times"])
            ratio = f"{med / base_med:.1f}×" if base_med else "-"
            kib, code = peak.get((key, r["command"]), (0, "?"))
            print(
                f"| {r['command']} | {ms(med)} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['user'])} | "
                f"{ms(r['system'])} | {ratio} | {kib / 1024:.1f} | {code} |"
            )
        print()
    batch = load("batch")
    if batch:
        n = sum(1 for _ in open(os.path.join(OUT, "batch.txt")))
        total = sum(os.path.getsize(p.rstrip("\n")) for p in open(os.path.join(OUT, "batch.txt")))
        print(f"## batch: {n} binaries, {total / 2**20:.0f} MiB\n")
        print("| command | median s | mean ± σ s | MiB/s | files/s |")
        print("| --- | ---: | ---: | ---: | ---: |")
        meds = {}
        for r in batch:
            med = statistics.median(r["times"])
            meds[r["command"]] = med
            print(
                f"| {r['command']} | {med:.2f} | {r['mean']:.2f} ± {r['stddev'] or 0:.2f} | "
                f"{total / 2**20 / med:.0f} | {n / med:.0f} |"
            )
        j1, j2 = meds.get("golayout scan -j1"), meds.get("golayout scan -j2")
        if j1 and j2:
            print(f"\nscan -j2 vs -j1: **{j1 / j2:.2f}×**")
        kib = peak.get(("batch", "golayout scan -j2"), (0, "?"))[0]
        print(f"\npeak RSS of `golayout scan -j2` over the batch: {kib / 1024:.1f} MiB\n")


main()
