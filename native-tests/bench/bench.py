#!/usr/bin/env python3
"""Benchmarks of the packaged artifacts. They print figures; they assert nothing.

    native-tests/bench/bench.py [--out DIR] JVM_JAR [NATIVE_EXECUTABLE]

For each artifact: cold start (exec -> first successful /inject, best and median of 5; a native executable also from
a copy written just before, and from that copy once its pages were dropped from the page cache), scale from zero
through a small activator proxy, throughput and latency with wrk against the floor of the same server (GET
/q/health/live) for replicas of one pod (answers reused) and for pods never seen before, the cost of a 50-container
pod against a 1-container pod, resident memory at start, after 10,000 injections and after 60 s of load (1,000
requests/s, fixed rate, LoadDriver.java, every pod new, after 10 s of warm-up), then 60 s of that load with replicas
of one pod (and the RSS growth after its first 10 s) and 30 s of it on the floor. With --only ...,flood (not run by
default): 2,000 connections posting new pods for 20 s, kept alive and then one connection per request, with the peak
RSS and whether the instance stays up and serves again afterwards. With --only ...,threads (not run by default): the
CPU time a new pod costs, by group of the server's threads (injector threads, event loops, ...), read from /proc
over 10 s of new pods. A jar runs with the AppCDS archive its build wrote, if there is one, and its cold start is
also measured with C1 only.
Needs wrk (Debian).
Raw output goes to DIR (default target/bench/<date>, which the build's clean removes; figures worth keeping
belong in docs/benchmarks.md).
"""
import argparse
import base64
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "src" / "test" / "resources" / "golden"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# run-time options per kind of artifact (--jvm-options, --native-options)
OPTIONS = {"jvm": [], "native": []}


def command(artifact, extra=()):
    if artifact.endswith(".jar"):
        return (["java"] + class_data_archive(artifact) + OPTIONS["jvm"] + list(extra)
                + ["-jar", pathlib.Path(artifact).name])
    return [artifact] + OPTIONS["native"] + list(extra)


def class_data_archive(jar):
    """The build's AppCDS archive, if there is one. The JVM uses it only when the jar is named as it was when the
    archive was made, so a jar is started in its own folder by its file name (see Server)."""
    archive = pathlib.Path(jar).parent / "app-cds.jsa"
    return [f"-XX:SharedArchiveFile={archive.name}"] if archive.exists() else []


def kind(artifact):
    return "jvm" if artifact.endswith(".jar") else "native"


def review(pod, uid="bench"):
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                                   "resource": {"group": "", "version": "v1", "resource": "pods"},
                                   "namespace": "demo", "operation": "CREATE", "object": pod}}).encode()


def typical_pod(seq=None):
    import yaml
    pod = yaml.safe_load((GOLDEN / "several-containers-with-ports.in.yaml").read_text())
    if seq:
        pod["metadata"].setdefault("labels", {})["bench-seq"] = seq
    return pod


def pod_with(containers, seq="0"):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "demo", "labels": {"app": "p", "bench-seq": seq}},
            "spec": {"containers": [{"name": f"c{i}", "image": "example/app:1",
                                     "ports": [{"containerPort": 8000 + i}],
                                     "readinessProbe": {"httpGet": {"path": "/ready", "port": 8000 + i}}}
                                    for i in range(containers)]}}


def post(port, body, timeout=2):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/inject", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read()


def injected(port, body):
    try:
        status, data = post(port, body, timeout=1)
        return status == 200 and "patch" in json.loads(data)["response"]
    except OSError:
        return False


def rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    def __init__(self, artifact, port=None, extra=()):
        self.artifact = artifact
        self.port = port or free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-", suffix=".log", delete=False)
        env = dict(os.environ, QUARKUS_HTTP_PORT=str(self.port))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(command(artifact, extra), env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=pathlib.Path(artifact).parent)

    def wait_injecting(self, body, timeout=60):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if injected(self.port, body):
                return time.perf_counter() - self.started
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.artifact} exited; log {self.log.name}")
            time.sleep(0.001)
        raise RuntimeError(f"{self.artifact} did not inject within {timeout}s; log {self.log.name}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# A JVM that only compiles with C1 starts sooner (no C2 compiler threads competing for the cores) and runs slower.
QUICK_JIT = ("-XX:TieredStopAtLevel=1",)


def starts(artifact, extra=(), n=5):
    """Seconds from exec to the first /inject answer, for n starts one after another."""
    body = review(typical_pod())
    times = []
    for _ in range(n):
        server = Server(artifact, extra=extra)
        try:
            times.append(server.wait_injecting(body))
        finally:
            server.stop()
    return times


def best_median(times):
    return f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms (of {len(times)})"


def cold_start(artifact, out):
    variants = [()] + ([QUICK_JIT] if kind(artifact) == "jvm" else [])
    for extra in variants:
        times = starts(artifact, extra)
        archive = " with AppCDS" if kind(artifact) == "jvm" and class_data_archive(artifact) else ""
        label = f"{kind(artifact)}{archive}{' ' + ' '.join(extra) if extra else ''}"
        out(f"cold start {label}: exec -> first /inject answer: {best_median(times)}")
    if kind(artifact) == "native":
        page_cache_states(artifact, out)


def fresh_copy(executable, folder, name=None):
    """The executable copied into a new file in folder, on disk and in the page cache as just written."""
    copy = str(pathlib.Path(folder) / (name or pathlib.Path(executable).name))
    shutil.copy2(executable, copy)
    with open(copy, "rb") as f:
        os.fsync(f.fileno())
    return copy


def page_cache_states(executable, out):
    """A native start depends on how the executable's pages came into the page cache: written just before (an image
    pull, a build) or read back by page faults after the kernel reclaimed them. Both, from one copy."""
    with tempfile.TemporaryDirectory(prefix="bench-copy-") as folder:
        copy = fresh_copy(executable, folder)
        out(f"cold start native, a copy written just before: {best_median(starts(copy))}")
        with open(copy, "rb") as f:
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        first = starts(copy, n=1)[0]
        out(f"cold start native, that copy's pages dropped from the page cache: first start (its pages from disk) "
            f"{first * 1000:.0f} ms; then, pages read back by the starts: {best_median(starts(copy))}")


class Activator:
    """Listens; on the first connection of an idle period it starts the artifact, forwards once it injects, and
    stops it after `idle` seconds without traffic: the scale-to-zero path of Knative's activator, in small."""

    def __init__(self, artifact, idle):
        self.artifact, self.idle = artifact, idle
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.server = None
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.body = review(typical_pod(), "warm")
        threading.Thread(target=self.accept, daemon=True).start()
        threading.Thread(target=self.reaper, daemon=True).start()

    def backend(self):
        with self.lock:
            if self.server is None:
                server = Server(self.artifact)
                server.wait_injecting(self.body)
                self.server = server
            self.last = time.monotonic()
            return self.server.port

    def reaper(self):
        while True:
            time.sleep(0.1)
            with self.lock:
                if self.server is not None and time.monotonic() - self.last > self.idle:
                    self.server.stop()
                    self.server = None

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self.forward, args=(client,), daemon=True).start()

    def forward(self, client):
        upstream = socket.create_connection(("127.0.0.1", self.backend()))

        def pipe(a, b):
            try:
                while data := a.recv(65536):
                    b.sendall(data)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self):
        with self.lock:
            if self.server is not None:
                self.server.stop()
                self.server = None


def scale_from_zero(artifact, out):
    activator = Activator(artifact, idle=1.0)
    body = review(typical_pod())
    times = []
    try:
        for _ in range(3):
            time.sleep(1.5)  # idle: the artifact has been stopped
            started = time.perf_counter()
            status, _ = post(activator.port, body, timeout=60)
            times.append(time.perf_counter() - started)
    finally:
        activator.close()
    out(f"scale from zero {kind(artifact)}: first request of an idle period -> answer: "
        f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms (of 3)")


WRK_SCRIPT = """
wrk.method = "%s"
wrk.headers["Content-Type"] = "application/json"
%s
%s
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%.3f %%.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1000000)))
end
"""


# Every request a pod never seen before: a label value made of a per-thread prefix and a counter replaces a
# placeholder of the same length, so no answer can be reused.
DISTINCT = """
local template = wrk.body
local n = 0
local prefix = string.format("%04d", math.random(0, 9999))
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, (template:gsub("SEQ0000000000000", prefix .. string.format("%013d", n), 1)))
end
"""


def wrk(port, path, body, connections=16, seconds=10, distinct=False, close=False):
    """close: every request on a new connection (Connection: close), as a client without keep-alive does"""
    extra_header = 'wrk.headers["Connection"] = "close"' if close else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if body is None:
            script.write(WRK_SCRIPT % ("GET", extra_header, ""))
        else:
            body_file = tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False)
            body_file.write(body)
            body_file.close()
            script.write(WRK_SCRIPT % ("POST", extra_header, f'local f = io.open("{body_file.name}", "rb")\n'
                                                f'wrk.body = f:read("*a")\nf:close()'
                                                + (DISTINCT if distinct else "")))
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name,
                             f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True)
    line = [l for l in result.stdout.splitlines() if l.startswith("RESULT")][0].split()
    return {"requests": int(line[1]), "errors": int(line[2]), "p50": float(line[3]), "p99": float(line[4]),
            "p999": float(line[5]), "max": float(line[6]), "rps": float(line[7])}


def fmt(r):
    return (f"{r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms  p999 {r['p999']:6.2f} ms  "
            f"errors {r['errors']}")


def throughput(artifact, out):
    server = Server(artifact)
    try:
        typical = review(typical_pod())
        server.wait_injecting(typical)
        new_pods = review(typical_pod(seq="SEQ0000000000000"))
        # warm-up of both paths: replicas never inject, so a JVM warmed on them alone would still be compiling the
        # injection during the new pods' run
        wrk(server.port, "/inject", typical, seconds=5)
        wrk(server.port, "/inject", new_pods, seconds=5, distinct=True)
        floor = wrk(server.port, "/q/health/live", None)
        inject = wrk(server.port, "/inject", typical)
        distinct = wrk(server.port, "/inject", new_pods, distinct=True)
        # pod size is the cost of injecting, so every pod is new here too
        one = wrk(server.port, "/inject", review(pod_with(1, seq="SEQ0000000000000")), distinct=True)
        fifty = wrk(server.port, "/inject", review(pod_with(50, seq="SEQ0000000000000")), distinct=True)
    finally:
        server.stop()
    k = kind(artifact)
    out(f"throughput {k}: floor GET /q/health/live   {fmt(floor)}")
    out(f"throughput {k}: POST /inject typical pod  {fmt(inject)}  ({inject['rps'] / floor['rps']:.2f} x the floor)")
    out(f"throughput {k}: POST /inject, every pod new {fmt(distinct)}  ({distinct['rps'] / floor['rps']:.2f} x the floor)")
    out(f"pod size {k}: 1 container, every pod new    {fmt(one)}")
    out(f"pod size {k}: 50 containers, every pod new  {fmt(fifty)}  (cost {one['rps'] / fifty['rps']:.1f} x a 1-container pod)")


def thread_cpu(pid):
    """CPU time (µs) used so far by each group of the process's threads: a thread's name without its number."""
    ticks = {}
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip().rstrip("0123456789-")
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
        ticks[name] = ticks.get(name, 0) + int(fields[11]) + int(fields[12])  # utime + stime
    return {name: t * 1e6 / os.sysconf("SC_CLK_TCK") for name, t in ticks.items()}


def threads(artifact, out):
    """Where a new pod's CPU goes: µs per request by thread group, over 10 s of new pods after 5 s of them."""
    server = Server(artifact)
    try:
        server.wait_injecting(review(typical_pod()))
        new_pods = review(typical_pod(seq="SEQ0000000000000"))
        wrk(server.port, "/inject", new_pods, seconds=5, distinct=True)
        before = thread_cpu(server.proc.pid)
        run = wrk(server.port, "/inject", new_pods, distinct=True)
        after = thread_cpu(server.proc.pid)
    finally:
        server.stop()
    per_pod = {name: (t - before.get(name, 0)) / run["requests"] for name, t in after.items()}
    groups = "  ".join(f"{name} {us:.0f}" for name, us in sorted(per_pod.items(), key=lambda e: -e[1]) if us >= 1)
    out(f"threads {kind(artifact)}: CPU per new pod, µs by thread group ({run['rps']:.0f} req/s): {groups}")


def load_driver(port, rate, seconds, warmup=0, distinct=False, floor=False):
    """floor: GET /q/health/live on the same schedule instead of POST /inject"""
    hdr = next(pathlib.Path.home().glob(".m2/repository/org/hdrhistogram/HdrHistogram/*/HdrHistogram-*.jar"))
    if floor:
        url, body_file = f"http://127.0.0.1:{port}/q/health/live", "-"
    else:
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as body:
            body.write(review(typical_pod(seq="SEQ0000000000000")))
        url, body_file = f"http://127.0.0.1:{port}/inject", body.name
    return subprocess.run(["java", "-cp", str(hdr), str(HERE / "LoadDriver.java"), url,
                           body_file, str(rate), str(seconds), str(warmup)] + (["distinct"] if distinct else []),
                          capture_output=True, text=True)


def last_line(run):
    return run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-300:]


def memory_and_load(artifact, out):
    server = Server(artifact)
    k = kind(artifact)
    try:
        server.wait_injecting(review(typical_pod()))
        out(f"memory {k}: RSS at start {rss_mb(server.proc.pid):.1f} MB")
        run = load_driver(server.port, 1000, 10, distinct=True)
        out(f"memory {k}: RSS after 10,000 injections (1,000 new pods/s) {rss_mb(server.proc.pid):.1f} MB; "
            f"{last_line(run)}")
        result = {}

        def sample():
            time.sleep(10.5 + 10)  # the driver's start, its warm-up, then the first 10 s measured
            result["at10s"] = rss_mb(server.proc.pid)

        sampler = threading.Thread(target=sample)
        sampler.start()
        # The driver is a JVM on the same cores: in its first second, its own start (interpreter, JIT threads) put
        # that second's p99 at 80 ms (9 ms on the floor, against 4-6 and 0.7-1.9 ms in the seconds after), so it warms
        # up uncounted here as in the runs below.
        run = load_driver(server.port, 1000, 60, warmup=10, distinct=True)
        sampler.join()
        after = rss_mb(server.proc.pid)
        out(f"load {k}: 1,000 req/s for 60 s after 10 s of warm-up, fixed rate, every pod new: {last_line(run)}")
        growth = (after - result["at10s"]) / result["at10s"] * 100
        out(f"memory {k}: RSS after 60 s of load {after:.1f} MB (at 10 s {result['at10s']:.1f} MB, growth {growth:+.1f} %)")
        result = {}

        def sample_replicas():
            time.sleep(10.2 + 10)  # the driver's start, its warm-up, then the first 10 s measured
            result["at10s"] = rss_mb(server.proc.pid)

        sampler = threading.Thread(target=sample_replicas)
        sampler.start()
        run = load_driver(server.port, 1000, 60, warmup=10)
        sampler.join()
        after = rss_mb(server.proc.pid)
        growth = (after - result["at10s"]) / result["at10s"] * 100
        out(f"load {k}: 1,000 req/s for 60 s after 10 s of warm-up, fixed rate, replicas of one pod: {last_line(run)}; "
            f"RSS {result['at10s']:.1f} MB after 10 s, {after:.1f} MB at the end ({growth:+.1f} %)")
        run = load_driver(server.port, 1000, 30, warmup=10, floor=True)
        out(f"load {k}: the same schedule on GET /q/health/live (the floor of this setup): {last_line(run)}")
    finally:
        server.stop()


def flood(artifact, out, connections=2000, seconds=20):
    """Far more clients than the instance can serve: 2,000 connections posting pods never seen before, kept alive
    and then one connection per request. It must stay up within its heap, refuse what it cannot inject, and serve
    again once the flood ends."""
    k = kind(artifact)
    for close in (False, True):
        server = Server(artifact)
        try:
            server.wait_injecting(review(typical_pod()))
            peak = [rss_mb(server.proc.pid)]

            def sample():
                while server.proc.poll() is None and not stop.is_set():
                    peak[0] = max(peak[0], rss_mb(server.proc.pid))
                    time.sleep(0.2)

            stop = threading.Event()
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            result = wrk(server.port, "/inject", review(typical_pod(seq="SEQ0000000000000")),
                         connections=connections, seconds=seconds, distinct=True, close=close)
            stop.set()
            ended = time.perf_counter()
            served = None
            while server.proc.poll() is None and time.perf_counter() - ended < 30:
                if injected(server.port, review(typical_pod(seq="after-flood"))):
                    served = time.perf_counter() - ended
                    break
                time.sleep(0.05)
            state = ("exited with " + str(server.proc.returncode) if server.proc.poll() is not None
                     else "up, served a new pod %.1f s after the flood" % served if served is not None
                     else "up, but served no pod within 30 s after the flood")
            how = "one connection per request" if close else "keep-alive"
            out(f"flood {k}: {connections} connections ({how}), new pods, {seconds} s: {result['requests']} answers "
                f"({result['rps']:.0f}/s), {result['errors']} timed out or failed (wrk: 2 s timeout); "
                f"peak RSS {peak[0]:.0f} MB; {state}")
        finally:
            server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifacts", nargs="+")
    parser.add_argument("--out", default=None)
    parser.add_argument("--only", default="coldstart,zero,throughput,memory",
                        help="comma-separated steps: coldstart, zero, throughput, memory, threads and flood "
                             "(the last two not by default)")
    parser.add_argument("--jvm-options", default="", help="JVM options, e.g. '-Xmx128m'")
    parser.add_argument("--native-options", default="",
                        help="run-time options of the native executable, e.g. '-Xmx64m -Xmn16m' (the kit's "
                             "executables size their heap from the host's memory, not from a container limit)")
    args = parser.parse_args()
    OPTIONS["jvm"] = args.jvm_options.split()
    OPTIONS["native"] = args.native_options.split()
    out_dir = pathlib.Path(args.out or ROOT / "target" / "bench" / datetime.date.today().isoformat())
    out_dir.mkdir(parents=True, exist_ok=True)
    report = open(out_dir / "bench.txt", "a")

    def out(line):
        print(line, flush=True)
        report.write(line + "\n")
        report.flush()

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    out(f"# {datetime.datetime.now().isoformat(timespec='seconds')}  {platform.node()}  {os.cpu_count()} cores  "
        f"{cpu}  {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB")
    out(f"# command: {' '.join(sys.argv)}")
    out(f"# options: jvm {OPTIONS['jvm']}, native {OPTIONS['native']}")
    steps = args.only.split(",")
    for artifact in args.artifacts:
        artifact = str(pathlib.Path(artifact).resolve())
        if "coldstart" in steps:
            cold_start(artifact, out)
        if "zero" in steps:
            scale_from_zero(artifact, out)
        if "throughput" in steps:
            throughput(artifact, out)
        if "memory" in steps:
            memory_and_load(artifact, out)
        if "threads" in steps:
            threads(artifact, out)
        if "flood" in steps:
            flood(artifact, out)


if __name__ == "__main__":
    main()
