"""The benchmark's table and budget checks, from the JSON that bench/run writes.

`python -m bench.report bench/results/latest.json` prints the table again; `--markdown` prints it for
docs/performance.md.
"""

import argparse
import json
import os

QUERY_LIMIT = 15
GROWTH_LIMIT = 1.2  # a page at scale 10 against the same page at scale 1
# Each page's budget as a multiple of the trivial view's time (pages built from the database).
TRIVIAL_RATIO_LIMITS = {
    "delegate workspace": 10, "report page": 10, "action point page": 10, "benchmarking page": 10,
    "dashboard": 20, "review queue": 20, "digest build, one recipient": 10, "CSV export": 50,
}
# The same pages built from the database before the page cache went (bench-20261202T064748Z.json, the
# `built` column at scale 10, × the trivial view): no page may be more than 1.2× slower than it was.
BEFORE_SIMPLIFICATION = {
    "delegate workspace": 21.4, "report page": 16.9, "action point page": 15.1, "dashboard": 58.3,
    "review queue": 31.8, "benchmarking page": 12.5, "CSV export": 132.1, "digest build, one recipient": 32.0,
}
# Pages with a budget in milliseconds (the median at the larger scale), beside the ratios above.
ABSOLUTE_LIMITS_MS = {"practices search": 100}
DIGEST_RECIPIENTS, DIGEST_LIMIT_S = 1000, 30
DASHBOARD_P95_LIMIT_MS = 100
# A streamed export's peak memory may not grow with the number of reports beyond this.
EXPORT_MEMORY_GROWTH_LIMIT = 1.5


def _pages_by_name(run):
    return {page["name"]: page for page in run["pages"]}


def evaluate(results: dict) -> dict:
    """Add each page's ratios and every budget's verdict (True, False or None when not measured)."""
    small, large = results["scales"][0], results["scales"][-1]
    small_pages, large_pages = _pages_by_name(small), _pages_by_name(large)
    trivial = next((p for p in large["pages"] if p["name"].startswith("trivial")), None)
    trivial_ms = trivial.get("median_ms") if trivial else None
    rows = []
    for name, page in large_pages.items():
        before = small_pages.get(name, {})
        row = {"name": name, "target": page.get("target"), "who": page.get("who"), "budget": page["budget"]}
        if not page.get("available"):
            row["verdict"] = "not available"
            row["why"] = page.get("target")
            rows.append(row)
            continue
        if "median_ms" not in page or "median_ms" not in before:
            row["verdict"] = "error"
            row["why"] = page.get("status") if "median_ms" not in page else before.get("status")
            rows.append(row)
            continue
        row.update(
            queries_small=before["queries"], queries_large=page["queries"],
            median_small_ms=before["median_ms"], p95_small_ms=before["p95_ms"],
            median_large_ms=page["median_ms"], p95_large_ms=page["p95_ms"],
            status=page.get("status"),
        )
        row["x_trivial"] = round(page["median_ms"] / trivial_ms, 1) if trivial_ms else None
        row["growth"] = round(page["median_ms"] / before["median_ms"], 2) if before["median_ms"] else None
        row["before"] = BEFORE_SIMPLIFICATION.get(name)
        limit = TRIVIAL_RATIO_LIMITS.get(name)
        row["limit"] = limit
        if page["budget"] and not name.startswith("trivial"):
            checks = {
                "queries constant": before["queries"] == page["queries"],
                f"queries <= {QUERY_LIMIT}": page["queries"] <= QUERY_LIMIT,
                f"growth <= {GROWTH_LIMIT}": row["growth"] is not None and row["growth"] <= GROWTH_LIMIT,
                "status 200": page.get("status") == 200 and before.get("status") == 200,
            }
            if limit:
                checks[f"<= {limit}x trivial"] = row["x_trivial"] is not None and row["x_trivial"] <= limit
            if name in ABSOLUTE_LIMITS_MS:
                checks[f"< {ABSOLUTE_LIMITS_MS[name]} ms"] = page["median_ms"] < ABSOLUTE_LIMITS_MS[name]
            if row["before"]:
                checks["<= 1.2x its time before"] = row["x_trivial"] is not None and row["x_trivial"] <= 1.2 * row["before"]
            row["missed"] = [check for check, ok in checks.items() if not ok]
            row["verdict"] = "ok" if not row["missed"] else "MISSED"
        else:
            row["verdict"] = "baseline" if name.startswith("trivial") else "(not budgeted)"
        rows.append(row)
    results["page_rows"] = rows

    budgets = {}
    for row in rows:
        if row["budget"] and not row["name"].startswith("trivial"):
            measured = row["verdict"] not in ("not available", "error")
            budgets[f"page: {row['name']}"] = row["verdict"] == "ok" if measured else None
    memory = {run["scale"]: run.get("export_memory") or {} for run in results["scales"]}
    largest = memory.get(large["scale"], {})
    for kind in ("csv", "xlsx"):
        plan, every = largest.get(f"{kind}, current plan"), largest.get(f"{kind}, all plans")
        if plan and every:
            budgets[f"{kind.upper()} export streamed (peak memory for all plans <= "
                   f"{EXPORT_MEMORY_GROWTH_LIMIT}x the current plan's)"] = (
                every["peak_kib"] <= EXPORT_MEMORY_GROWTH_LIMIT * max(plan["peak_kib"], 1))
    digest = results.get("digest") or {}
    budgets[f"{DIGEST_RECIPIENTS} digests delivered < {DIGEST_LIMIT_S} s"] = (
        None if not digest.get("available")
        else bool(digest.get("complete")) and digest.get("planned", 0) >= DIGEST_RECIPIENTS
        and digest.get("wall_s", 1e9) < DIGEST_LIMIT_S
    )
    load = results.get("load") or {}
    if load.get("available"):
        budgets["load: zero errors (readers and the writer)"] = load.get("errors") == 0 and not load.get("error")
        dashboard = next((t for t in load.get("targets", []) if t["name"] == "dashboard"), {})
        budgets[f"load: dashboard p95 < {DASHBOARD_P95_LIMIT_MS} ms"] = (
            "error" not in dashboard and dashboard.get("p95_ms", 1e9) < DASHBOARD_P95_LIMIT_MS)
        budgets["load: the writer kept 5 saves a second"] = load.get("writer", {}).get("rate", 0) >= 4.5
    else:
        budgets["load test"] = None
    results["budgets"] = budgets
    results["all_budgets_met"] = all(v is True for v in budgets.values())
    return results


def _fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(results: dict, *, markdown=False) -> str:
    small, large = results["scales"][0]["scale"], results["scales"][-1]["scale"]
    lines = []

    def add(cells):
        if markdown:
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        else:
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(cells, WIDTHS, strict=False)))

    WIDTHS = [30, 7, 7, 11, 11, 11, 11, 9, 7, 7, 9, 30]
    header = ["page", f"q ×{small}", f"q ×{large}", f"med ×{small} ms", f"p95 ×{small} ms", f"med ×{large} ms",
              f"p95 ×{large} ms", "× trivial", "budget", "growth", "before ×", "verdict"]
    add(header)
    if markdown:
        add(["---"] * len(header))
    for row in results["page_rows"]:
        if "median_large_ms" not in row:
            add([row["name"], *[""] * (len(header) - 2), f"{row['verdict']}: {row.get('why')}"])
            continue
        verdict = row["verdict"] + (f" ({'; '.join(row['missed'])})" if row.get("missed") else "")
        add([row["name"], row["queries_small"], row["queries_large"], _fmt(row["median_small_ms"], 2),
             _fmt(row["p95_small_ms"], 2), _fmt(row["median_large_ms"], 2), _fmt(row["p95_large_ms"], 2),
             _fmt(row["x_trivial"]), _fmt(row.get("limit")), _fmt(row["growth"], 2), _fmt(row.get("before")),
             verdict])
    out = ["\n".join(lines), ""]
    out.append("Every page is built from the database (no page is cached). q: its queries at each scale; med/p95: its "
               "server time through Django's test client; × trivial: the median at the larger scale over the trivial "
               "view's; budget: the most it may be; before ×: the same page built from the database before the page "
               "cache was removed (it may be at most 1.2× that).")
    memory = results["scales"][-1].get("export_memory") or {}
    if memory:
        out.append(f"Export memory at scale {large} (peak, Python): " + "; ".join(
            f"{name}: {item['reports']} reports, {item['bytes'] // 1024} KiB written, peak {item['peak_kib']} KiB"
            for name, item in memory.items()))
    digest = results.get("digest") or {}
    if digest.get("available"):
        out.append(
            f"Digest run at scale {digest.get('scale')}: {digest.get('received')}/{digest.get('planned')} "
            f"messages received by the SMTP sink in {_fmt(digest.get('wall_s'), 2)} s "
            f"({_fmt(digest.get('messages_per_s'))} messages/s; fan-out, building and writing every digest, "
            f"{_fmt(digest.get('fan_out_s'), 2)} s; {digest.get('worker_processes')} worker processes; "
            f"failed {digest.get('failed')})" + (f"; {digest['error']}" if digest.get("error") else "")
        )
    else:
        why = digest.get("reason") or digest.get("error") or "--skip-digest"
        out.append(f"Digest run: {'skipped' if not digest else 'not available'} ({why})")
    load = results.get("load") or {}
    if load.get("available"):
        out.append(f"Load at scale {load.get('scale')}: gunicorn {load['workers']} workers; {load['connections']} "
                   f"connections of {load['people']} people ({', '.join(load.get('roles', []))}), each pausing "
                   f"{load['think_ms'][0]}–{load['think_ms'][1]} ms between pages as a person would; "
                   f"{load['seconds']} s; a writer saving and submitting reports {load.get('writer', {}).get('rate')} "
                   f"times a second ("
                   + (f"p95 {load['writer']['p95_ms']} ms for opening and saving; "
                      if load.get("writer", {}).get("p95_ms") is not None else "")
                   + f"{load.get('writer', {}).get('errors')} errors)")
        for t in load["targets"]:
            if "error" in t:
                out.append(f"  {t['name']}: {t['error']}")
            else:
                out.append(f"  {t['name']}: {t['rps']} req/s, p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, "
                           f"p99 {t['p99_ms']} ms, {t['errors']} errors ({t['requests']} requests)")
        for t in load.get("saturation", []):
            out.append(f"  saturation (for information, no pauses), {t['name']}: {t.get('rps')} req/s, "
                       f"p95 {t.get('p95_ms')} ms")
        if load.get("load_average_before"):
            before, after = load["load_average_before"], load.get("load_average_after") or ["?"]
            out.append(f"  the machine's load average (1 min) before the load test {before[0]:.2f}, "
                       f"after {after[0]:.2f} (on {os.cpu_count()} cores; well above the cores means other "
                       "work shared them)")
    else:
        out.append(f"Load test: {'skipped' if not load else 'not available'} ({load.get('reason') or '--skip-load'})")
    m = results.get("machine") or {}
    if m:
        out.append(f"Machine: {m.get('cpu')} ({m.get('cpus')} CPUs), {m.get('memory')}, {m.get('os')}; Python "
                   f"{m.get('python')}, Django {m.get('django')}, PostgreSQL {m.get('postgresql')}; commit "
                   f"{m.get('commit')}; load average at start "
                   f"{', '.join(f'{x:.2f}' for x in m.get('load_average_at_start', []))}")
    sizes = [f"scale {run['scale']}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in run.get("data", {}).items())
             + (f" (generated in {run['generate_s']} s)" if run.get("generate_s") else "") for run in results["scales"]]
    out.extend(f"Data at {line}" for line in sizes)
    out.append("")
    out.append("Budgets:")
    for name, ok in results["budgets"].items():
        out.append(f"  {'ok    ' if ok else ('n/a   ' if ok is None else 'MISSED')} {name}")
    out.append("All budgets met." if results["all_budgets_met"] else "NOT all budgets met (see above).")
    if markdown:  # the table stays a table; the rest reads as it prints
        out = [out[0], "", "```text", *out[2:], "```"]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--markdown", action="store_true")
    options = parser.parse_args()
    with open(options.file) as f:
        results = evaluate(json.load(f))
    print(table(results, markdown=options.markdown))


if __name__ == "__main__":
    main()
