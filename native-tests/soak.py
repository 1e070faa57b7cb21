#!/usr/bin/env python3
"""Soak test of the packaged artifact (the JVM jar or the native executable): hours of production in minutes.

    native-tests/soak.py target/quarkus-app/quarkus-run.jar [--minutes 10] [--rate 50] [JVM options]
    native-tests/soak.py target/sidecar-injector-1.0.0-SNAPSHOT-runner [--minutes 10] [-Xmx128m]

Options after the artifact that are not this script's are passed to it. The artifact serves /inject over HTTPS
with a serving certificate from files (as the cluster manifests set it up: the tls profile's key store, reloaded every
few seconds) and reads its configuration from a ConfigMap-shaped folder. For the given time:

- callers send AdmissionReviews at a steady rate on keep-alive HTTPS connections: a quarter are pods never seen
  before, the rest replicas of a few pods (answers the injector may reuse); every answer must be a 200 with the
  request's uid and a patch;
- every 30 s the configuration changes, valid and invalid in turn (CONFIGURATIONS below): a valid one must be in
  service (the proxy image's tag) within 5 s, an invalid one must leave the last valid one serving;
- every 60 s the serving certificate is replaced by a new one from the same CA (the Secret's layout: the files
  swapped at once through a ..data link): new connections must get it within the reload period and 10 s more.

Each of these that does not happen is an error. At the end of every minute it samples the process: resident memory
and threads (/proc/<pid>/status), open file descriptors (/proc/<pid>/fd), and heap in use from /q/metrics
(jvm_memory_used_bytes, area heap): for a JVM right after a full collection that `jcmd <pid> GC.run` asks for (the
heap after GC); a native executable has no such command, so its figure is the heap in use at that moment.

It prints one line per minute (requests, errors, p50 and p99 latency, the samples) and a verdict. It fails when there
was any error, or when any figure trends up. The trend rule: the first minute is warm-up (class loading, compilation,
caches filling) and is left out; of the minutes after it, the mean of the last third is compared with the mean of
the first third (with two minutes, the last with the first), and a figure trends up when that mean grew by more than
both its tolerances: resident memory 10 % and 16 MiB, heap 10 % and 8 MiB, threads 10 % and 4, file descriptors
10 % and 8, p50 latency 50 % and 2 ms, p99 latency 100 % and 50 ms (the slowest requests of a minute are those
that met a collection or another process on the machine: a single slow minute is noise, a doubling that lasts is
not). A leak of a few bytes per request or one descriptor per certificate reload is within that over three
minutes; over ten, a steady one is not.
"""
import argparse
import base64
import http.client
import json
import os
import random
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox import ConfigMapDir, command_for, free_port, review, typical_pod, wait_ready  # noqa: E402

# The configurations served in turn, every 30 s: (injection config, MeshConfig, values, proxy image tag expected in
# service afterwards; None for an invalid one, which must leave the previous one serving). Istio's documents, as
# the current code reads them; change them here.
CONFIGURATIONS = [
    ("policy: enabled\n", "trustDomain: cluster.local\n", '{"global": {"tag": "soak-a"}}', "soak-a"),
    ("policy: [unclosed\n", "trustDomain: cluster.local\n", '{"global": {"tag": "soak-never"}}', None),
    ("policy: enabled\n", "defaultConfig:\n  concurrency: 2\n",
     '{"global": {"tag": "soak-b", "proxy": {"logLevel": "debug"}}}', "soak-b"),
    ("policy: enabled\n", "defaultConfig:\n  statusPrt: 1\n", '{"global": {"tag": "soak-never"}}', None),
]
CONFIG_PERIOD = 30
CERT_PERIOD = 60
TLS_RELOAD = 5  # quarkus.tls.reload-period for this run
NEW_POD_SHARE = 0.25
REPLICATED_PODS = 20
CALLERS = 4

TOLERANCES = {  # figure: (relative, absolute)
    "rss_mib": (0.10, 16), "heap_mib": (0.10, 8), "threads": (0.10, 4), "fds": (0.10, 8),
    "p50_ms": (0.50, 2), "p99_ms": (1.0, 50),
}


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class Certificates:
    """A CA, and serving certificates for localhost signed by it, in a Secret-shaped folder."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="soak-ca-")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=soak-ca", cwd=self.work)
        self.serial = 0
        self.folder = ConfigMapDir(self.issue())
        self.context = ssl.create_default_context(cafile=os.path.join(self.work, "ca.crt"))

    def issue(self):
        self.serial += 1
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "tls.key", "-out", "tls.csr", "-subj", f"/CN=localhost-{self.serial}", cwd=self.work)
        with open(os.path.join(self.work, "san.ext"), "w") as ext:
            ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                str(1000 + self.serial), "-days", "1", "-extfile", "san.ext", "-out", "tls.crt", cwd=self.work)
        return {name: open(os.path.join(self.work, name)).read() for name in ("tls.crt", "tls.key")}

    def rotate(self):
        self.folder.publish(self.issue())
        return f"CN=localhost-{self.serial}"

    def served(self, port):
        """The subject CN of the certificate that a new connection gets."""
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with self.context.wrap_socket(raw, server_hostname="localhost") as tls:
                subject = dict(x[0] for x in tls.getpeercert()["subject"])
                return f"CN={subject['commonName']}"

    def remove(self):
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.folder.root, ignore_errors=True)


class Soak:
    def __init__(self, args, extra):
        self.args = args
        self.artifact = os.path.abspath(args.artifact)
        self.extra = extra
        self.lock = threading.Lock()
        self.latencies = []  # (minute, seconds)
        self.errors = []  # (minute, text)
        self.requests = {}
        self.stop = threading.Event()
        self.started = None
        self.expected_tag = CONFIGURATIONS[0][3]
        self.pods = [self.pod(f"replica-{i}") for i in range(REPLICATED_PODS)]

    def minute(self):
        return int((time.monotonic() - self.started) // 60)

    def error(self, text):
        with self.lock:
            self.errors.append((self.minute(), text))
        print(f"  error at {time.monotonic() - self.started:.0f}s: {text}", flush=True)

    @staticmethod
    def pod(name):
        pod = typical_pod()
        pod.setdefault("metadata", {}).setdefault("labels", {})["soak"] = name
        return pod

    def caller(self, number, tokens):
        conn = None
        n = 0
        while not self.stop.is_set():
            if not tokens.acquire(timeout=0.5):
                continue
            if conn is None:
                conn = http.client.HTTPSConnection("localhost", self.https_port, timeout=10,
                                                   context=self.certs.context)
            n += 1
            uid = f"c{number}-{n}"
            new = random.random() < NEW_POD_SHARE
            pod = self.pod(f"new-{uid}") if new else random.choice(self.pods)
            body = json.dumps(review(pod, uid)).encode()
            start = time.monotonic()
            try:
                conn.request("POST", "/inject", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
            except Exception as e:  # any failure of a call is an error of the run
                self.error(f"{uid}: {e!r}")
                conn.close()
                conn = None
                continue
            took = time.monotonic() - start
            minute = self.minute()
            with self.lock:
                self.latencies.append((minute, took))
                self.requests[minute] = self.requests.get(minute, 0) + 1
            try:
                response = json.loads(data)["response"]
                ok = resp.status == 200 and response["uid"] == uid and "patch" in response
            except (ValueError, KeyError):
                ok = False
            if not ok:
                self.error(f"{uid}: {resp.status} {data[:120]!r}")

    def pacer(self, tokens):
        interval = 1.0 / self.args.rate
        due = time.monotonic()
        while not self.stop.is_set():
            due += interval
            tokens.release()
            time.sleep(max(0.0, due - time.monotonic()))

    def tag_in_service(self):
        """The proxy image tag that a new pod gets now (plain HTTP, outside the measured load)."""
        pod = self.pod(f"probe-{time.monotonic()}")
        req = urllib.request.Request(f"http://127.0.0.1:{self.http_port}/inject",
                                     data=json.dumps(review(pod, "probe")).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            answer = json.loads(resp.read())
        patch = json.loads(base64.b64decode(answer["response"]["patch"]))
        found = re.findall(r':(soak-[\w.-]+)"', json.dumps(patch))
        return found[0] if found else None

    def reconfigure(self, step):
        config, mesh, values, tag = CONFIGURATIONS[step % len(CONFIGURATIONS)]
        self.config.publish({"config": config, "mesh": mesh, "values": values})
        want = tag or self.expected_tag
        deadline = time.monotonic() + 5
        seen = None
        while time.monotonic() < deadline:
            try:
                seen = self.tag_in_service()
            except OSError as e:
                seen = repr(e)
            if seen == want and tag:
                break
            time.sleep(0.2)
        if seen != want:
            self.error(f"configuration {step}: tag {seen!r} in service, expected {want!r}")
        if tag:
            self.expected_tag = tag

    def rotate(self):
        subject = self.certs.rotate()
        deadline = time.monotonic() + TLS_RELOAD + 10
        served = None
        while time.monotonic() < deadline:
            try:
                served = self.certs.served(self.https_port)
            except OSError as e:
                served = repr(e)
            if served == subject:
                return
            time.sleep(0.5)
        self.error(f"certificate {subject} not served within {TLS_RELOAD + 10}s (served {served})")

    def sample(self, pid, jvm):
        status = open(f"/proc/{pid}/status").read()
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
        threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        if jvm:
            subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=30)
        heap = None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/q/metrics", timeout=5) as resp:
                text = resp.read().decode()
            used = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                    if line.startswith("jvm_memory_used_bytes{") and 'area="heap"' in line]
            heap = sum(used) / 1024 / 1024 if used else None
        except OSError as e:
            self.error(f"metrics: {e!r}")
        return {"rss_mib": rss, "heap_mib": heap, "threads": threads, "fds": fds}

    def run(self):
        self.certs = Certificates()
        first = CONFIGURATIONS[0]
        self.config = ConfigMapDir({"config": first[0], "mesh": first[1], "values": first[2]})
        self.http_port, self.https_port = free_port(), free_port()
        # TLS as the cluster manifests set it up: the tls profile makes these two files the HTTPS key store
        env = dict(os.environ, QUARKUS_HTTP_PORT=str(self.http_port), QUARKUS_HTTP_SSL_PORT=str(self.https_port),
                   QUARKUS_TLS_RELOAD_PERIOD=f"{TLS_RELOAD}s", QUARKUS_PROFILE="prod,tls",
                   INJECTOR_TLS_CERTIFICATE_FILE=str(self.certs.folder.root / "tls.crt"),
                   INJECTOR_TLS_KEY_FILE=str(self.certs.folder.root / "tls.key"),
                   INJECTOR_CONFIG_FILE=str(self.config.root / "config"),
                   INJECTOR_MESH_FILE=str(self.config.root / "mesh"),
                   INJECTOR_VALUES_FILE=str(self.config.root / "values"), INJECTOR_RELOAD_INTERVAL="1s")
        jvm = self.artifact.endswith(".jar")
        log = open(tempfile.mktemp(prefix="soak-", suffix=".log"), "w")
        proc = subprocess.Popen(command_for(self.artifact, self.extra), env=env, stdout=log, stderr=subprocess.STDOUT)
        samples = []
        try:
            if not wait_ready(self.http_port, proc, 60):
                print(f"FAIL not ready (log {log.name})")
                return 1
            options = "".join(" " + option for option in self.extra)
            print(f"soak of {os.path.basename(self.artifact)}{options} for {self.args.minutes} min at "
                  f"{self.args.rate} requests/s ({NEW_POD_SHARE:.0%} new pods), configuration every {CONFIG_PERIOD}s, "
                  f"certificate every {CERT_PERIOD}s; log {log.name}", flush=True)
            self.started = time.monotonic()
            tokens = threading.Semaphore(0)
            threads = [threading.Thread(target=self.pacer, args=(tokens,), daemon=True)]
            threads += [threading.Thread(target=self.caller, args=(i, tokens), daemon=True) for i in range(CALLERS)]
            for t in threads:
                t.start()
            end = self.started + self.args.minutes * 60
            next_config, next_cert, next_sample = CONFIG_PERIOD, CERT_PERIOD, 60
            step = 0
            while time.monotonic() < end + 1 and proc.poll() is None:
                now = time.monotonic() - self.started
                if now >= next_config and time.monotonic() < end:
                    step += 1
                    self.reconfigure(step)
                    next_config += CONFIG_PERIOD
                if now >= next_cert and time.monotonic() < end:
                    self.rotate()
                    next_cert += CERT_PERIOD
                if now >= next_sample:
                    samples.append(self.sample(proc.pid, jvm))
                    self.report_minute(len(samples) - 1, samples[-1])
                    next_sample += 60
                time.sleep(0.2)
            if proc.poll() is not None:
                self.error(f"the process exited with {proc.returncode}")
            self.stop.set()
            for t in threads:
                t.join(15)
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            log.close()
            self.certs.remove()
            shutil.rmtree(self.config.root, ignore_errors=True)
        return self.verdict(samples)

    def percentiles(self, minute):
        values = sorted(t for m, t in self.latencies if m == minute)
        if not values:
            return None, None
        return (values[len(values) // 2] * 1000, values[min(len(values) - 1, int(len(values) * 0.99))] * 1000)

    def report_minute(self, minute, sample):
        if minute == 0:
            print("| minute | requests | errors | p50 ms | p99 ms | RSS MiB | heap MiB | threads | fds |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        p50, p99 = self.percentiles(minute)
        sample["p50_ms"], sample["p99_ms"] = p50, p99
        errors = sum(1 for m, _ in self.errors if m == minute)
        heap = "n/a" if sample["heap_mib"] is None else f"{sample['heap_mib']:.1f}"
        print(f"| {minute + 1} | {self.requests.get(minute, 0)} | {errors} | {p50 or 0:.1f} | {p99 or 0:.1f} | "
              f"{sample['rss_mib']:.0f} | {heap} | {sample['threads']} | {sample['fds']} |", flush=True)

    def verdict(self, samples):
        failures = []
        if self.errors:
            failures.append(f"{len(self.errors)} errors")
        steady = samples[1:]
        if len(steady) < 2:
            failures.append(f"{len(samples)} minutes sampled: a trend needs at least 3 (--minutes 3 or more)")
        else:
            third = max(1, len(steady) // 3)
            for figure, (relative, absolute) in TOLERANCES.items():
                values = [s[figure] for s in steady]
                if any(v is None for v in values):
                    continue
                before = statistics.mean(values[:third])
                after = statistics.mean(values[-third:])
                if after - before > absolute and after > before * (1 + relative):
                    failures.append(f"{figure} trends up: {before:.1f} -> {after:.1f}")
        total = sum(self.requests.values())
        print(f"{total} requests, {len(self.errors)} errors, {len(samples)} minutes sampled")
        if failures:
            print("FAIL soak: " + "; ".join(failures))
            return 1
        print("ok   soak: no error, no figure trends up")
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50, help="requests per second")
    args, extra = parser.parse_known_args()
    return Soak(args, extra).run()


if __name__ == "__main__":
    sys.exit(main())
