"""`python -m devtools.bench load`: many users at once, the development server against production.

1. Record a realistic visit in headless Chromium (open the map, change indicator and year, find a
   region, add it to the comparison, find and add another, open the Compare and Peers tabs,
   search priorities, filter by country): every callback request the page sends, by step.
2. Replay those requests with locust (a separate process, loopback only) at 10, 50 and 100 users
   with 1-3 s think time between steps, and at saturation (users with no think time), against
   Flask's development server (the baseline), gunicorn (`python -m s3map.server`), and two
   gunicorn instances behind nginx (Debian package; `scripts/install-nginx.sh`), all in one run.
3. Replay the visit once alternating between the two instances, step by step, and once against
   one instance: the answers must be identical (all state is in the URL and the request).

Bounded: each load level runs `--seconds` (default 20). The load generator shares the machine's
CPUs with the servers, so absolute numbers are pessimistic; the comparison is in the same run.
"""

from __future__ import annotations

import argparse
import csv
import resource
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psutil
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devtools.ports import free_port
from devtools.servers import dev_server, gunicorn_server, wait_healthy
from devtools.browser import start_browser
from s3map import config
from s3map.data.store import get_dataset
from s3map.ui import ids

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
THINK = (1.0, 3.0)
LEVELS = [("10 users", 10, True), ("50 users", 50, True), ("100 users", 100, True), ("saturation", 16, False)]

# Wraps window.fetch before the page's scripts run: every callback request and its answer, in order.
RECORD_CALLBACKS = """
window.__calls = []; window.__pending = 0;
const originalFetch = window.fetch;
window.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : input.url;
  if (!url.includes('_dash-update-component')) { return originalFetch.apply(this, arguments); }
  window.__pending += 1;
  const entry = {path: new URL(url, location.href).pathname, body: init && init.body};
  window.__calls.push(entry);
  return originalFetch.apply(this, arguments).then(response => {
    entry.status = response.status;
    response.clone().text().then(text => { entry.response = text; window.__pending -= 1; });
    return response;
  }, error => { window.__pending -= 1; throw error; });
};
"""

SET_PROPS = "window.dash_clientside.set_props(arguments[0], arguments[1]);"


# ---- recording a visit --------------------------------------------------------------------------------

def _settle(driver, quiet: float = 0.6, timeout: float = 20) -> None:
    """Wait until no callback has been pending for `quiet` seconds."""
    deadline, calm_since = time.time() + timeout, None
    while time.time() < deadline:
        busy = driver.execute_script("return window.__pending")
        if busy == 0:
            calm_since = calm_since or time.time()
            if time.time() - calm_since >= quiet:
                return
        else:
            calm_since = None
        time.sleep(0.05)


def _take(driver) -> list[dict]:
    calls = driver.execute_script("const c = window.__calls; window.__calls = []; return c;")
    return [{"path": c["path"], "body": c["body"]} for c in calls if c.get("body")]


def _click_pattern(driver, kind: str, index: str, timeout: float = 20) -> None:
    """Click a pattern-matching button (Dash renders its id as sorted JSON)."""
    wanted = json.dumps({"index": index, "type": kind}, separators=(",", ":"))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if driver.execute_script("const b = document.getElementById(arguments[0]); if (b) { b.click(); } return !!b;",
                                 wanted):
            return
        time.sleep(0.1)
    raise RuntimeError(f"no button {wanted} on the page")


RECORDED_REGIONS = ("PL21", "ES51")  # the two regions the recorded visit finds and compares


def visit_regions() -> list[str]:
    """Regions a simulated visitor may pick instead: every EU NUTS 2 region drawn on the map."""
    return sorted(get_dataset().nuts2_eu_drawn)


def visit_steps(driver) -> list[tuple[str, callable]]:
    """The visit: what a policymaker does in a first few minutes (names are the report's step names)."""
    def props(component, values):
        return lambda: driver.execute_script(SET_PROPS, component, values)
    return [
        ("indicator", props(ids.INDICATOR, {"value": "gerd_pc_gdp"})),
        ("year", props(ids.YEAR, {"value": 2019})),
        ("find a region", props(ids.REGION_SEARCH, {"value": RECORDED_REGIONS[0]})),
        ("add to comparison", lambda: _click_pattern(driver, ids.COMPARE_ADD, RECORDED_REGIONS[0])),
        ("find a region", props(ids.REGION_SEARCH, {"value": RECORDED_REGIONS[1]})),
        ("add to comparison", lambda: _click_pattern(driver, ids.COMPARE_ADD, RECORDED_REGIONS[1])),
        ("tab change", props(ids.TABS, {"active_tab": "compare"})),
        ("tab change", props(ids.TABS, {"active_tab": "peers"})),
        ("priorities", props(ids.KEYWORD, {"value": "hydrogen"})),
        ("filter", props(ids.COUNTRY, {"value": ["PL", "CZ", "SK"]})),
    ]


def record_visit(base_url: str) -> list[dict]:
    """Steps [{name, requests: [{path, body}]}] as the real page sent them; the first is the page load."""
    driver = start_browser(1600, 1000)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CALLBACKS})
        driver.get(base_url + "/")
        WebDriverWait(driver, 40).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".choroplethlocation")) > 150)
        _settle(driver)
        steps = [{"name": "page load", "requests": _take(driver)}]
        for name, action in visit_steps(driver):
            action()
            _settle(driver)
            steps.append({"name": name, "requests": _take(driver)})
    finally:
        driver.quit()
    empty = [s["name"] for s in steps if not s["requests"]]
    if empty:
        raise RuntimeError(f"recording failed: no callback request for step(s) {empty}")
    return steps


# ---- servers -------------------------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  server_tokens off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  upstream s3map {{
    {servers}
    keepalive 32;
    # Below gunicorn's keepalive (5 s): a connection nginx reuses is never one gunicorn is closing.
    keepalive_timeout 4s;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 1m;
    location / {{
      proxy_pass http://s3map;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffers 16 64k;
      proxy_max_temp_file_size 0;
    }}
  }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        subprocess.run([str(config.PROJECT_ROOT / "scripts" / "install-nginx.sh")], check=True)
        found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found


@contextmanager
def nginx_proxy(port: int, upstream_ports: list[int]):
    """nginx on a loopback port, round-robin over the upstreams; its own config, pid and temp folders."""
    tmp = Path(tempfile.mkdtemp(prefix="s3map-nginx-"))
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / folder).mkdir()
    os.chmod(tmp, 0o755)
    servers = "\n    ".join(f"server 127.0.0.1:{p};" for p in upstream_ports)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers, port=port))
    process = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, timeout=20)
        yield process
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


# ---- load -----------------------------------------------------------------------------------------

def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by these processes and their children (gunicorn's workers)."""
    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for member in [process, *process.children(recursive=True)]:
                times = member.cpu_times()
                total += times.user + times.system
        except psutil.Error:  # a worker that exited meanwhile
            continue
    return total


def run_locust(host: str, visit_file: Path, users: int, think: bool, seconds: int, out: Path,
               server_pids: list[int] = ()) -> dict:
    """One bounded locust run; per-step and total request counts, failures, p50/p95 and throughput; and
    the CPU the servers and the load generator used meanwhile (in cores: they share the machine's)."""
    prefix = out / f"locust-{users}-{'think' if think else 'sat'}-{int(time.time() * 1000)}"
    env = {**os.environ, "S3MAP_VISIT": str(visit_file), "S3MAP_THINK": "1" if think else "0",
           "S3MAP_RECORDED_REGIONS": ",".join(RECORDED_REGIONS), "S3MAP_REGIONS": ",".join(visit_regions())}
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host,
               "-u", str(users), "-r", str(max(1, users // 4)), "--run-time", f"{seconds}s", "--stop-timeout", "5",
               "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--exit-code-on-error", "0"]
    server_before, locust_before = cpu_seconds(list(server_pids)), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=config.PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=seconds + 120, check=True)
    elapsed = time.perf_counter() - started
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cores = {"server": round((cpu_seconds(list(server_pids)) - server_before) / elapsed, 2),
             "load generator": round((locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime
                                      - locust_before.ru_stime) / elapsed, 2)}
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    failures = [f"{row['Name']}: {row['Error']} ×{row['Occurrences']}" for row in csv.DictReader(open(f"{prefix}_failures.csv"))]
    result = {"steps": {}, "failure_messages": failures, "cores": cores}
    for row in rows:
        entry = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                 "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                 "rps": round(float(row["Requests/s"]), 1)}
        if row["Name"] == "Aggregated":
            result["total"] = entry
        else:
            result["steps"][row["Name"]] = entry
    return result


# ---- the same answers from either instance -------------------------------------------------------

def _answer(response: requests.Response):
    return response.status_code, response.text


def alternation_check(hosts: list[str], steps: list[dict]) -> dict:
    """Replay the visit on one instance, then alternating between instances: identical answers?"""
    requests_in_order = [r for step in steps for r in step["requests"]]

    def replay(pick):
        answers = []
        with requests.Session() as session:
            for i, request in enumerate(requests_in_order):
                response = session.post(pick(i) + request["path"], data=request["body"],
                                        headers={"Content-Type": "application/json"}, timeout=30)
                answers.append(_answer(response))
        return answers

    single = replay(lambda i: hosts[0])
    alternating = replay(lambda i: hosts[i % len(hosts)])
    differing = [i for i, (a, b) in enumerate(zip(single, alternating)) if a != b]
    return {"requests": len(requests_in_order), "identical": len(requests_in_order) - len(differing),
            "differing": differing, "errors": sum(1 for status, _ in alternating if status >= 400)}


# ---- the run -------------------------------------------------------------------------------------

def run(seconds: int = 20, levels=LEVELS, workers: int | None = None, visit_path: Path | None = None,
        save_visit: Path | None = None) -> dict:
    out = Path(tempfile.mkdtemp(prefix="s3map-load-"))
    results: dict = {"seconds_per_level": seconds, "cpus": os.cpu_count(), "targets": {}, "levels": [level[0] for level in levels]}
    with ExitStack() as stack:
        dev_port, one_port, a_port, b_port, proxy_port = (free_port() for _ in range(5))
        dev_process, dev = stack.enter_context(dev_server(dev_port))
        if visit_path and visit_path.is_file():
            steps = json.loads(visit_path.read_text())
        else:
            steps = record_visit(dev)
            if save_visit:
                save_visit.write_text(json.dumps(steps, indent=1))
        visit_file = out / "visit.json"
        visit_file.write_text(json.dumps(steps))
        results["visit"] = [{"name": s["name"], "requests": len(s["requests"])} for s in steps]

        def measure(name: str, host: str, pids: list[int]) -> None:
            results["targets"][name] = {label: run_locust(host, visit_file, users, think, seconds, out, pids)
                                        for label, users, think in levels}

        measure("flask dev server", dev, [dev_process.pid])
        stack.close()  # the baseline is stopped before the next one starts: each has the CPUs alone

        with gunicorn_server(one_port, workers) as (process, url):
            measure("gunicorn", url, [process.pid])

        half = max(1, (workers or config.workers()) // 2) + 1
        with gunicorn_server(a_port, half) as (a_process, a), gunicorn_server(b_port, half) as (b_process, b), \
                nginx_proxy(proxy_port, [a_port, b_port]) as proxy_process:
            instances = [a, b]
            results["alternation"] = alternation_check(instances, steps)
            results["alternation_via_proxy"] = alternation_check([f"http://127.0.0.1:{proxy_port}"] * 2, steps)
            measure("2 × gunicorn behind nginx", f"http://127.0.0.1:{proxy_port}",
                    [a_process.pid, b_process.pid, proxy_process.pid])
    shutil.rmtree(out, ignore_errors=True)
    return results


def print_table(results: dict) -> None:
    print(f"{'server':<27} {'load':<11} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'server cores':>12} {'locust cores':>12}")
    for target, levels in results["targets"].items():
        for label, level in levels.items():
            t, cores = level["total"], level.get("cores", {})
            print(f"{target:<27} {label:<11} {t['requests']:>8} {t['failures']:>6} {t['rps']:>7} {t['p50_ms']:>7.0f} "
                  f"{t['p95_ms']:>7.0f} {cores.get('server', ''):>12} {cores.get('load generator', ''):>12}")
    for target, levels in results["targets"].items():
        for label, level in levels.items():
            for message in level.get("failure_messages", []):
                print(f"failed: {target}, {label}: {message}")
    print("\nper step at 50 users (p50 / p95 ms):")
    for target, levels in results["targets"].items():
        steps = levels.get("50 users", {}).get("steps", {})
        print(f"  {target}: " + "; ".join(f"{name} {s['p50_ms']:.0f}/{s['p95_ms']:.0f}" for name, s in steps.items()))
    if "flask dev server" in results["targets"]:
        base = results["targets"]["flask dev server"].get("saturation", {}).get("total", {}).get("rps")
        for target, levels in results["targets"].items():
            rps = levels.get("saturation", {}).get("total", {}).get("rps")
            if base and rps:
                print(f"saturation throughput {target}: {rps} req/s = {rps / base:.1f}× the development server")
    for key in ("alternation", "alternation_via_proxy"):
        if key in results:
            a = results[key]
            print(f"{key}: {a['identical']}/{a['requests']} answers identical, {a['errors']} errors")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load level (default 20)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: S3MAP_WORKERS or from the CPUs)")
    parser.add_argument("--visit", type=Path, help="replay this recorded visit (JSON) instead of recording one")
    parser.add_argument("--save-visit", type=Path, help="also write the recorded visit to this file")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args(argv)
    results = run(args.seconds, workers=args.workers, visit_path=args.visit, save_visit=args.save_visit)
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
