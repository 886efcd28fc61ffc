"""bench/run's measurements and table (issue 15). Started by bench/run, which builds the app and exports
BENCH_JAVA_FLAGS (the launcher's one-shot JVM flags) and BENCH_DAEMON_FLAGS (the daemon's).

Every row pairs a figure with a baseline measured in this same run, because on a shared machine only the
ratio means something. Scratch directories live under /tmp and are removed at the end."""

import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = sys.argv[1]
ARGS = sys.argv[2:]
QUICK = "--quick" in ARGS
MARKDOWN = "--markdown" in ARGS
JAR = os.path.join(ROOT, "target/quarkus-app/quarkus-run.jar")
ONE_SHOT = os.environ["BENCH_JAVA_FLAGS"].split()
# the launcher runs every command but `daemon` from org.gitopssync.cli.Launch (no Quarkus container)
ONE_SHOT_MAIN = os.environ.get("BENCH_ONE_SHOT_MAIN", "").split() or ["-jar", JAR]
DAEMON = os.environ.get("BENCH_DAEMON_FLAGS", "").split() or ONE_SHOT
# the one-shot class-data archive is for the launcher's class path: a `java -version` without it would find the archive
# mismatched and start with none at all, a slower floor than the one the command itself starts from
FLOOR_CLASS_PATH = ONE_SHOT_MAIN[:-1] if ONE_SHOT_MAIN[0] == "-cp" else ["-cp", JAR]
RUNS = 5 if QUICK else 20
IDLE_CYCLES = 100
CHURN_CYCLES = 200 if QUICK else 1000
WEBHOOK_RUNS = 3 if QUICK else 5
LOG_FORMAT = "-Dquarkus.log.console.format=%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p %s%e%n"
NIX_DEBUG = '-Dquarkus.log.category."org.gitopssync.nix".level=DEBUG'

work = tempfile.mkdtemp(prefix="gitops-bench-run.")
children = []


def note(msg):
    print(f"bench/run: {msg}", file=sys.stderr, flush=True)


def run(argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def timed(argv, **kw):
    """Wall time of one run, in seconds."""
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def median_time(argv, n, **kw):
    return statistics.median(timed(argv, **kw) for _ in range(n))


def peak_rss_kib(argv):
    """Peak resident memory of one process (its own rusage, not its siblings')."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def wait_for(what, condition, timeout, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"bench/run: the daemon died while waiting for {what}:\n" + tail(log))
        if time.monotonic() > deadline:
            raise SystemExit(f"bench/run: gave up waiting for {what} after {timeout} s:\n" + tail(log))
        time.sleep(0.5)


def tail(path, n=30):
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def gitops(*args):
    return ["java", *ONE_SHOT, *ONE_SHOT_MAIN, *args]


def demo(name, poll="1s"):
    d = os.path.join(work, name)
    run(gitops("demo", "--dir", d), cwd=work)
    config = os.path.join(d, "gitops.toml")
    with open(config) as f:
        text = f.read()
    text = re.sub(r'(?m)^poll_interval = .*$', f'poll_interval = "{poll}"', text)
    with open(config, "w") as f:
        f.write(text)
    return d, config


def commit_change(repo, n):
    flake = os.path.join(repo, "flake.nix")
    with open(flake) as f:
        text = f.read()
    text, count = re.subn(r'(Welcome to the gitops-sync demo host\.)[^\\"]*', rf"\1 bench {n}", text)
    if count == 0:
        raise SystemExit("bench/run: the demo flake has no message of the day to change")
    with open(flake, "w") as f:
        f.write(text)
    run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "-c", "commit.gpgsign=false", "commit", "-q", "-a", "-m", f"bench change {n}"])
    return run(["git", "-C", repo, "rev-parse", "HEAD"]).stdout.strip()


def cycles_done(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT COUNT(*) FROM cycles WHERE finished_at IS NOT NULL").fetchone()[0]
    except sqlite3.Error:
        return 0


def cycles_with(db, outcome):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
        return c.execute("SELECT COUNT(*) FROM cycles WHERE outcome = ?", (outcome,)).fetchone()[0]


def start_daemon(config, log, *extra):
    f = open(log, "w")
    p = subprocess.Popen(["java", *DAEMON, *extra, "-jar", JAR, "daemon", "--config", config],
                         stdout=subprocess.DEVNULL, stderr=f)
    children.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(120)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def histogram(pid, path):
    """Saves the live-object histogram (jcmd runs a full GC first), returns its total bytes."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], stdout=subprocess.PIPE, text=True).stdout
    with open(path, "w") as f:
        f.write(out)
    m = re.search(r"(?m)^Total\s+\d+\s+(\d+)", out)
    return int(m.group(1)) if m else 0


# ---------------------------------------------------------------------------------------------------------
rows = []


def row(figure, value, baseline, ratio, goal):
    rows.append((figure, value, baseline, ratio, goal))
    # as soon as measured, so that a run that fails later still tells what it found
    note(f"{figure}: {value} / {baseline} = {ratio} (goal {goal})")


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def mib(kib):
    return f"{kib / 1024:.0f} MiB"


def noop_and_memory():
    """Rows 1-3 and 8-9: one-shot and in-daemon no-op cycles, then the daemon idle and under churn."""
    d, config = demo("noop")
    fetch = os.path.join(work, "fetch.git")
    run(["git", "clone", "-q", "--bare", os.path.join(d, "repo"), fetch])
    note(f"git fetch, sync --once and java -version, {RUNS} runs each, interleaved")
    fetches, syncs, floors = [], [], []
    for _ in range(RUNS):
        fetches.append(timed(["git", "-C", fetch, "fetch", "-q", "origin", "main"]))
        syncs.append(timed(gitops("sync", "--once", "--config", config)))
        floors.append(timed(["java", *ONE_SHOT, *FLOOR_CLASS_PATH, "-version"]))
    git_fetch, sync_once, java_version = (statistics.median(v) for v in (fetches, syncs, floors))
    floor_rss = peak_rss_kib(["java", *DAEMON, "-version"])

    note(f"daemon: {IDLE_CYCLES} idle cycles at a 1 s poll")
    log = os.path.join(work, "daemon.log")
    db = os.path.join(d, "state/state.db")
    start = cycles_done(db)
    p = start_daemon(config, log)
    wait_for(f"{IDLE_CYCLES} idle cycles", lambda: cycles_done(db) >= start + IDLE_CYCLES, IDLE_CYCLES * 6, p, log)
    idle_rss = rss_kib(p.pid)
    idle_threads = open(f"/proc/{p.pid}/status").read().split("Threads:")[1].split()[0]
    status = json.loads(run(gitops("status", "--json", "--history", str(IDLE_CYCLES), "--config", config)).stdout)
    durations = []
    for c in status["recentCycles"]:
        if c["outcome"] == "UNCHANGED" and c["trigger"] == "schedule" and c["finishedAt"]:
            s = datetime.datetime.fromisoformat(c["startedAt"].replace("Z", "+00:00"))
            f = datetime.datetime.fromisoformat(c["finishedAt"].replace("Z", "+00:00"))
            durations.append((f - s).total_seconds())
    in_daemon = statistics.median(durations)

    note(f"daemon: {CHURN_CYCLES} cycles with churn (a new commit every 5 s)")
    repo = os.path.join(d, "repo")
    churn_start = cycles_done(db)
    failed_before = cycles_with(db, "failed")
    n, next_commit = 0, 0.0
    marks = {}
    early = min(100, CHURN_CYCLES)
    while cycles_done(db) < churn_start + CHURN_CYCLES:
        if p.poll() is not None:
            raise SystemExit("bench/run: the daemon died under churn:\n" + tail(log))
        if time.monotonic() >= next_commit:
            n += 1
            commit_change(repo, n)
            next_commit = time.monotonic() + 5
        if "early" not in marks and cycles_done(db) >= churn_start + early:
            marks["early"] = (rss_kib(p.pid), histogram(p.pid, os.path.join(ROOT, "target/bench-histogram-100.txt")))
        time.sleep(0.5)
    churn_rss = rss_kib(p.pid)
    churn_heap = histogram(p.pid, os.path.join(ROOT, f"target/bench-histogram-{CHURN_CYCLES}.txt"))
    early_rss, early_heap = marks.get("early", (churn_rss, churn_heap))
    failed = cycles_with(db, "failed") - failed_before
    deployed = cycles_with(db, "deployed")
    stop(p)

    row("no-op cycle in the daemon / `git fetch` of the same branch", ms(in_daemon), ms(git_fetch),
        f"{in_daemon / git_fetch:.2f}x", "<= 0.35x")
    row("`sync --once` no-op as a fresh process / `git fetch`", ms(sync_once), ms(git_fetch),
        f"{sync_once / git_fetch:.0f}x", "<= 40x")
    row("`sync --once` no-op / a bare `java -version` with the same JVM flags and class path", ms(sync_once), ms(java_version),
        f"{sync_once / java_version:.1f}x", "<= 5x")
    row(f"daemon resident memory after {IDLE_CYCLES} idle cycles ({idle_threads} threads)", mib(idle_rss),
        f"{mib(floor_rss)} (`java -version`)", f"{idle_rss / floor_rss:.1f}x", "<= 100 MiB")
    row(f"daemon resident memory after {CHURN_CYCLES} cycles with churn ({deployed} deployed, {failed} failed)",
        f"{mib(churn_rss)} (after {early}: {mib(early_rss)}; live heap {churn_heap / 1048576:.1f} MiB, "
        f"after {early}: {early_heap / 1048576:.1f})",
        f"{mib(floor_rss)} (`java -version`)", f"{churn_rss / floor_rss:.1f}x", "flat, <= 120 MiB")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stamp(line):
    return datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").timestamp()


def webhook_overhead():
    """Row 10: webhook received -> activation started, minus the time spent in nix and other programs."""
    d, config = demo("webhook", poll="1h")
    secret = uuid.uuid4().hex
    port, dead = free_port(), free_port()
    with open(config, "a") as f:
        f.write(f'\n[web]\nenable = true\nport = {port}\n\n[[forges]]\ntype = "gitea"\n'
                f'api_url = "http://127.0.0.1:{dead}"\nrepository = "acme/infra"\n'
                f'credentials = {{ env = "BENCH_FORGE_TOKEN" }}\nwebhook_secret = {{ env = "BENCH_WEBHOOK_SECRET" }}\n')
    os.environ["BENCH_FORGE_TOKEN"] = "bench-not-a-token"
    os.environ["BENCH_WEBHOOK_SECRET"] = secret
    log = os.path.join(work, "webhook.log")
    p = start_daemon(config, log, LOG_FORMAT, NIX_DEBUG)
    wait_for("the web server", lambda: "web: listening" in tail(log, 200), 180, p, log)
    # the demo ran cycle 1 already: wait for the daemon's own first cycle to end
    wait_for("the daemon's first cycle", lambda: re.search(r"cycle \d+: (unchanged|deployed)", tail(log, 400)), 180, p, log)
    db = os.path.join(d, "state/state.db")
    repo = os.path.join(d, "repo")
    overheads, totals = [], []
    for n in range(WEBHOOK_RUNS):
        done = cycles_done(db)
        sha = commit_change(repo, 1000 + n)
        body = json.dumps({"ref": "refs/heads/main", "before": "0" * 40, "after": sha,
                           "repository": {"id": 17, "full_name": "acme/infra", "name": "infra",
                                          "owner": {"login": "acme", "username": "acme"}}}).encode()
        delivery = str(uuid.uuid4())
        headers = {"Content-Type": "application/json", "X-Gitea-Event": "push", "X-Gitea-Event-Type": "push",
                   "X-Gitea-Delivery": delivery,
                   "X-Gitea-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
        mark = os.path.getsize(log)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/gitea", data=body, headers=headers)
        urllib.request.urlopen(req, timeout=30).read()
        wait_for("the activation of the webhook's commit",
                 lambda: "switch-to-configuration" in read_from(log, mark), 600, p, log)
        lines = read_from(log, mark).splitlines()
        received = next(stamp(l) for l in lines if "webhook: Gitea delivery" in l and delivery in l)
        activation = next(stamp(l) for l in lines if "running" in l and "switch-to-configuration" in l)
        spans = []
        for l in lines:
            m = re.search(r"finished .* in (\d+) ms$", l)
            if m:
                end = stamp(l)
                if end <= activation:
                    spans.append((max(received, end - int(m.group(1)) / 1000), end))
        outside = union(spans)
        totals.append(activation - received)
        overheads.append(max(0.0, activation - received - outside))
        wait_for("the cycle to end", lambda: cycles_done(db) > done, 600, p, log)
    stop(p)
    total, own = statistics.median(totals), statistics.median(overheads)
    row("webhook received -> activation started, agent's own overhead", ms(own),
        f"{ms(total)} in all (nix included)", f"{own / total:.2f} of it", "<= 1 s")


def read_from(path, offset):
    with open(path, errors="replace") as f:
        f.seek(offset)
        return f.read()


def union(spans):
    total, end = 0.0, None
    for a, b in sorted(spans):
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total


def ci_rows():
    note("bench/ci/run.sh (cold and already built)")
    env = dict(os.environ)
    if QUICK:
        env["BENCH_CI_CHECKS"], env["BENCH_CI_CHAINS"] = "40", "4"
    out = run(["bash", os.path.join(ROOT, "bench/ci/run.sh")], env=env).stdout
    times = {}
    for label in ("gitops-sync ci", "nix build"):
        m = re.search(rf"(?m)^{re.escape(label)}.*?\s+([\d.]+)\s+([\d.]+)\s*$", out)
        if not m:
            raise SystemExit(f"bench/run: cannot read '{label}' from bench/ci/run.sh:\n{out}")
        times[label] = (float(m.group(1)), float(m.group(2)))
    flake = re.search(r"flake: (\d+) independent checks.*?\+ (\d+) chains", out)
    size = f"{flake.group(1)} checks + {flake.group(2)} chains" if flake else "?"
    (oc, ow), (nc, nw) = times["gitops-sync ci"], times["nix build"]
    row(f"CI, {size} cold / `nix build` of all, same parallelism", f"{oc:.1f} s", f"{nc:.1f} s",
        f"{oc / nc:.2f}x", "<= 0.7x")
    row("CI, everything already built, as a process / `nix build`", f"{ow:.2f} s", f"{nw:.2f} s",
        f"{ow / nw:.1f}x", "<= 1.5 s")
    daemon = re.search(r"(?m)^daemon build stage, eval reused\s+([\d.]+)", out)
    nix_daemon = re.search(r"(?m)^nix build, same attributes\s+([\d.]+)", out)
    if daemon and nix_daemon:
        dw, dn = float(daemon.group(1)), float(nix_daemon.group(1))
        row("CI, everything already built, in the daemon (build stage) / `nix build`", f"{dw:.2f} s", f"{dn:.2f} s",
            f"{dw / dn:.1f}x", "<= 0.3 s")


def cache_row():
    note("bench/cache/run.sh")
    args = ["200", "190", "5" if QUICK else "9"]
    out = run(["sh", os.path.join(ROOT, "bench/cache/run.sh"), *args]).stdout
    m = re.search(r"(?m)^file://, (\d+) outputs, (\d+) already in the cache\s+agent\s+([\d.]+) ms \| plain nix copy\s+"
                  r"([\d.]+) ms", out)
    if not m:
        raise SystemExit(f"bench/run: cannot read the file:// line from bench/cache/run.sh:\n{out}")
    agent, plain = float(m.group(3)), float(m.group(4))
    row(f"cache push `file://`, {m.group(2)} of {m.group(1)} already there / `nix copy`", f"{agent:.0f} ms",
        f"{plain:.0f} ms", f"{agent / plain:.2f}x", "<= 1.0x")


def secrets_row():
    note("bench/secrets")
    # the warm figure is a median over one JVM's runs: with fewer than 60 it still holds the JIT's warm-up, so --quick
    # saves on the cold runs only (the 60 warm ones take a few seconds)
    out = run([os.path.join(ROOT, "bench/secrets"), "2" if QUICK else "5", "60"]).stdout
    warm = re.search(r"(?m)^leaves\.yaml\s+warm.*median ([\d.]+) ms", out)
    age = re.search(r"(?m)^plain\.age\s+age -d of 1 MiB.*?: ([\d.]+) ms", out)
    if not (warm and age):
        raise SystemExit(f"bench/run: cannot read the figures of bench/secrets:\n{out}")
    w, a = float(warm.group(1)), float(age.group(1))
    row("sops 10,000 leaves (1.5 MB) warm / `age -d` of 1 MiB, same run", f"{w:.1f} ms", f"{a:.1f} ms",
        f"{w / a:.1f}x", "<= 5x")
    daemon = re.search(r"(?m)^leaves\.yaml\s+warm with the daemon JVM flags.*median ([\d.]+) ms", out)
    if daemon:
        d = float(daemon.group(1))
        row("sops, the same in the daemon's JVM (C1 only, small heap: its memory goal)", f"{d:.1f} ms", f"{a:.1f} ms",
            f"{d / a:.1f}x", "<= 5x")


def machine():
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    java = subprocess.run(["java", "-version"], stderr=subprocess.PIPE, text=True).stderr.splitlines()[0]
    nix = run(["nix", "--version"]).stdout.strip()
    return (f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
            f"load average {load}, {java}, {nix}{', --quick' if QUICK else ''}")


def print_table(before, after):
    header = ("figure", "measured", "baseline (same run)", "ratio", "goal")
    print(f"Measured {before}; load at the end {after.split('load average ')[1].split(',')[0]}.")
    print()
    if MARKDOWN:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for r in [header, *rows]:
            print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    print()
    flags = [" ".join(f).replace(ROOT + "/", "") for f in (ONE_SHOT, DAEMON)]
    print(f"JVM flags: one-shot `{flags[0]}`; daemon `{flags[1]}`")


def main():
    before = machine()
    sections = {"noop": noop_and_memory, "webhook": webhook_overhead, "ci": ci_rows, "cache": cache_row,
                "secrets": secrets_row}
    only = ARGS[ARGS.index("--only") + 1].split(",") if "--only" in ARGS else list(sections)
    try:
        for name in only:
            sections[name]()
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"bench/run: {' '.join(e.cmd)} failed ({e.returncode}):\n{e.stdout or ''}{e.stderr or ''}")
    finally:
        for p in children:
            stop(p)
        shutil.rmtree(work, ignore_errors=True)
    order = ["no-op cycle", "`sync --once` no-op as", "`sync --once` no-op /", "CI, ", "CI, everything already built, as",
             "CI, everything already built, in",
             "cache push", "sops", "daemon resident memory after " + str(IDLE_CYCLES), "daemon resident memory after "
             + str(CHURN_CYCLES), "webhook"]
    rows.sort(key=lambda r: next((i for i, k in enumerate(order) if r[0].startswith(k) and
                                  not (k == "CI, " and r[0].startswith("CI, everything"))), 99))
    print_table(before, machine())


main()
