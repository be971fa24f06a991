"""The benchmark's table and budget checks, from the JSON that bench/run writes.

`python -m bench.report bench/results/latest.json` prints the table again; `--markdown` prints it for
docs/performance.md.
"""

import argparse
import json

QUERY_LIMIT = 15
TRIVIAL_RATIO_LIMIT = 10
GROWTH_LIMIT = 1.5
DIGEST_LIMIT_S = 20
DASHBOARD_P95_LIMIT_MS = 250


def _pages_by_name(run):
    return {page["name"]: page for page in run["pages"]}


def evaluate(results: dict) -> dict:
    """Add each page's ratios and every budget's verdict (True, False or None when not measured)."""
    small, large = results["scales"][0], results["scales"][-1]
    small_pages, large_pages = _pages_by_name(small), _pages_by_name(large)
    trivial = next((p for p in large["pages"] if not p["budget"]), None)
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
        # Informational: the page as built from the database on the first request after a change.
        row["queries_kept"] = page.get("queries_kept")
        row["built_median_large_ms"] = page.get("built_median_ms")
        row["built_x_trivial"] = (round(page["built_median_ms"] / trivial_ms, 1)
                                  if trivial_ms and page.get("built_median_ms") else None)
        row["built_growth"] = (round(page["built_median_ms"] / before["built_median_ms"], 2)
                               if page.get("built_median_ms") and before.get("built_median_ms") else None)
        row["growth"] = round(page["median_ms"] / before["median_ms"], 2) if before["median_ms"] else None
        if page["budget"]:
            checks = {
                "queries constant": before["queries"] == page["queries"],
                f"queries <= {QUERY_LIMIT}": page["queries"] <= QUERY_LIMIT,
                f"<= {TRIVIAL_RATIO_LIMIT}x trivial": (
                    row["x_trivial"] is not None and row["x_trivial"] <= TRIVIAL_RATIO_LIMIT
                ),
                f"<= {GROWTH_LIMIT}x own small-scale time": row["growth"] is not None and row["growth"] <= GROWTH_LIMIT,
                # Pages kept in the cache cost the same at any size; the growth budget is also checked
                # on the page built from the database, where the years of data would show.
                f"built <= {GROWTH_LIMIT}x own small-scale time": (
                    row["built_growth"] is None or row["built_growth"] <= GROWTH_LIMIT
                ),
                "status 200": page.get("status") == 200 and before.get("status") == 200,
            }
            row["missed"] = [name for name, ok in checks.items() if not ok]
            row["verdict"] = "ok" if not row["missed"] else "MISSED"
        else:
            row["verdict"] = "baseline"
        rows.append(row)
    results["page_rows"] = rows

    budgets = {}
    for row in rows:
        if row["budget"]:
            measured = row["verdict"] not in ("not available", "error")
            budgets[f"page: {row['name']}"] = row["verdict"] == "ok" if measured else None
    digest = results.get("digest") or {}
    budgets[f"digest run < {DIGEST_LIMIT_S} s"] = (
        None if not digest.get("available")
        else bool(digest.get("complete")) and digest.get("wall_s", 1e9) < DIGEST_LIMIT_S
    )
    load = results.get("load") or {}
    for target in load.get("targets", []):
        budgets[f"load: {target['name']} zero errors"] = "error" not in target and target.get("errors") == 0
        if target["name"] == "dashboard":
            budgets[f"load: dashboard p95 < {DASHBOARD_P95_LIMIT_MS} ms"] = (
                "error" not in target and target.get("p95_ms", 1e9) < DASHBOARD_P95_LIMIT_MS
            )
    if not load.get("available"):
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

    WIDTHS = [30, 7, 7, 7, 11, 11, 11, 11, 9, 7, 13, 9, 8, 30]
    header = ["page", f"q ×{small}", f"q ×{large}", "q kept", f"med ×{small} ms", f"p95 ×{small} ms",
              f"med ×{large} ms", f"p95 ×{large} ms", "× trivial", "growth", f"built ×{large} ms", "× trivial",
              "growth", "verdict"]
    add(header)
    if markdown:
        add(["---"] * len(header))
    for row in results["page_rows"]:
        if "median_large_ms" not in row:
            add([row["name"], *[""] * (len(header) - 2), f"{row['verdict']}: {row.get('why')}"])
            continue
        verdict = row["verdict"] + (f" ({'; '.join(row['missed'])})" if row.get("missed") else "")
        add([row["name"], row["queries_small"], row["queries_large"], _fmt(row.get("queries_kept")),
             _fmt(row["median_small_ms"], 2), _fmt(row["p95_small_ms"], 2), _fmt(row["median_large_ms"], 2),
             _fmt(row["p95_large_ms"], 2), _fmt(row["x_trivial"]), _fmt(row["growth"], 2),
             _fmt(row.get("built_median_large_ms"), 2), _fmt(row.get("built_x_trivial")),
             _fmt(row.get("built_growth"), 2), verdict])
    out = ["\n".join(lines), ""]
    out.append("q: queries of a page built from the database (the first request after a change to the data); "
               "q kept: of the same page asked again with nothing changed (served from the cache). med/p95: "
               "server time of the page asked again, the budgets' figure; built: the median of the first request "
               "after a change (its growth is a budget too; its ratio to the trivial view is for information).")
    digest = results.get("digest") or {}
    if digest.get("available"):
        out.append(
            f"Digest run at scale {digest.get('scale')}: {digest.get('received')}/{digest.get('planned')} "
            f"messages received "
            f"by the SMTP sink in {_fmt(digest.get('wall_s'), 2)} s ({_fmt(digest.get('messages_per_s'))} messages/s; "
            f"fan-out {_fmt(digest.get('fan_out_s'), 2)} s; worker concurrency {digest.get('worker_concurrency')}; "
            f"failed {digest.get('failed')})" + (f"; {digest['error']}" if digest.get("error") else "")
        )
    else:
        why = digest.get("reason") or digest.get("error") or "--skip-digest"
        out.append(f"Digest run: {'skipped' if not digest else 'not available'} ({why})")
    load = results.get("load") or {}
    if load.get("available"):
        out.append(f"Load at scale {load.get('scale')}: gunicorn {load['workers']} workers, wrk {load['connections']} "
                   f"connections, {load['seconds']} s per page")
        for t in load["targets"]:
            if "error" in t:
                out.append(f"  {t['name']}: {t['error']}")
            else:
                out.append(f"  {t['name']}: {t['rps']} req/s, p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, "
                           f"p99 {t['p99_ms']} ms, {t['errors']} errors ({t['requests']} requests)")
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
