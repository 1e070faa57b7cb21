#!/usr/bin/env python3
"""Graceful shutdown of the packaged artifact under load, with its default configuration.

    native-tests/shutdown.py target/quarkus-app/quarkus-run.jar [--runs 20] [--parallel 4] [--clients 8]
    native-tests/shutdown.py target/sidecar-injector-1.0.0-SNAPSHOT-runner [-Xmx64m -Xmn16m]

Options after the artifact that are not this script's are passed to it (JVM options for the jar, run-time options
for the native executable). Each run starts the artifact with nothing set but its port, and plays the API server
calling a webhook through a Service while the pod is deleted:

- `--clients` callers send AdmissionReviews (a new pod each time) back to back on keep-alive connections;
- four more each hold an idle keep-alive connection from before the SIGTERM and send one request on it at a random
  moment of the shutdown delay, as a connection pool does with a connection it has not used for a while;
- SIGTERM arrives while all of them are busy. A caller whose answer says `Connection: close` closes its connection
  and opens a new one, which goes to this instance for the first half of the delay (endpoints have not dropped it
  yet) and elsewhere after (the caller stops);
- before reusing a connection a caller checks that the server has not closed it, as HTTP clients do.

A run passes when every request sent got its answer (200, the request's uid), no connection was reset or closed
under a request, the server closed no connection without saying `Connection: close` first, readiness turned DOWN
while requests were still answered, and the process exited 0 within the delay plus the drain timeout. Runs go
`--parallel` at a time, each on its own port. It prints one line per run, the totals (requests sent and answers
received) and a closing 'N passed, N failed' line; the exit code is non-zero if a run failed.
"""
import argparse
import json
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import http.client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox import ROOT, command_for, free_port, review, typical_pod, wait_ready  # noqa: E402

IDLE_CALLERS = 4
TIMEOUT = 10  # quarkus.shutdown.timeout: requests in flight get this long after the delay


def default_delay():
    """quarkus.shutdown.delay as application.properties sets it for the packaged artifact."""
    text = (ROOT / "src" / "main" / "resources" / "application.properties").read_text()
    match = re.search(r"^quarkus\.shutdown\.delay=(\d+)s$", text, re.M)
    if not match:
        raise SystemExit("no quarkus.shutdown.delay=<n>s in application.properties")
    return float(match.group(1))


class Tally:
    """What the callers of one run saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.answered = 0
        self.closed_with_notice = 0
        self.refused_connects = 0
        self.failures = []

    def add(self, **counts):
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def fail(self, what):
        with self.lock:
            self.failures.append(what)


class Caller:
    """One keep-alive connection at a time, checked before each reuse."""

    def __init__(self, port, tally, prefix):
        self.port, self.tally, self.prefix = port, tally, prefix
        self.conn = None
        self.count = 0

    def connect(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT + 5)
        try:
            conn.connect()
        except OSError:
            self.tally.add(refused_connects=1)
            return False
        self.conn = conn
        return True

    def closed_by_server(self):
        """A connection that the server has closed reads as ready with nothing in it."""
        readable, _, _ = select.select([self.conn.sock], [], [], 0)
        if not readable:
            return False
        try:
            return self.conn.sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def send(self, pod):
        """One request on the current connection: True when answered and the connection stays open."""
        if self.closed_by_server():
            self.tally.fail(f"{self.prefix}: connection closed by the server without Connection: close")
            self.conn.close()
            self.conn = None
            return False
        self.count += 1
        uid = f"{self.prefix}-{self.count}"
        self.tally.add(sent=1)
        try:
            self.conn.request("POST", "/inject", json.dumps(review(pod, uid)).encode(),
                              {"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            body = resp.read()
            closing = (resp.getheader("Connection") or "").lower() == "close"
        except Exception as e:  # a reset, a broken pipe or a connection closed under the request: a lost request
            self.tally.fail(f"{uid}: {e!r}")
            self.conn.close()
            self.conn = None
            return False
        try:
            ok = resp.status == 200 and json.loads(body)["response"]["uid"] == uid
        except (ValueError, KeyError):
            ok = False
        if ok:
            self.tally.add(answered=1)
        else:
            self.tally.fail(f"{uid}: {resp.status} {body[:100]!r}")
        if closing:
            self.tally.add(closed_with_notice=1)
            self.conn.close()
            self.conn = None
        return ok and not closing


def new_pod(base, caller, n):
    pod = json.loads(json.dumps(base))
    pod.setdefault("metadata", {}).setdefault("labels", {})["seq"] = f"{caller}-{n}"
    return pod


def one_run(artifact_command, number, clients, delay, results):
    port = free_port()
    log = open(tempfile.mktemp(prefix=f"shutdown-{number}-", suffix=".log"), "w")
    proc = subprocess.Popen(artifact_command, env=dict(os.environ, QUARKUS_HTTP_PORT=str(port)), stdout=log,
                            stderr=subprocess.STDOUT)
    tally = Tally()
    base = typical_pod()
    sigterm = threading.Event()
    sigterm_at = [0.0]
    try:
        if not wait_ready(port, proc, 60):
            results[number] = (tally, None, False, f"not ready (log {log.name})")
            return

        def busy(i):
            caller = Caller(port, tally, f"r{number}c{i}")
            n = 0
            while True:
                if caller.conn is None:
                    # a new connection reaches this instance until endpoints drop it: half of the delay
                    if sigterm.is_set() and time.monotonic() > sigterm_at[0] + delay / 2:
                        return
                    if not caller.connect():
                        time.sleep(0.01)
                        if sigterm.is_set():
                            return
                        continue
                n += 1
                caller.send(new_pod(base, caller.prefix, n))

        def idle(i, wait):
            caller = Caller(port, tally, f"r{number}i{i}")
            if not caller.connect() or not caller.send(new_pod(base, caller.prefix, 0)):
                return
            sigterm.wait()
            time.sleep(max(0.0, sigterm_at[0] + wait - time.monotonic()))
            caller.send(new_pod(base, caller.prefix, 1))

        threads = [threading.Thread(target=busy, args=(i,)) for i in range(clients)]
        threads += [threading.Thread(target=idle, args=(i, random.uniform(0, delay * 0.8)))
                    for i in range(IDLE_CALLERS)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        sigterm_at[0] = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        sigterm.set()
        readiness_down = False
        while time.monotonic() < sigterm_at[0] + delay / 2 and not readiness_down:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/q/health/ready")
                readiness_down = conn.getresponse().status == 503
                conn.close()
            except OSError:
                break
            time.sleep(0.05)
        for t in threads:
            t.join(delay + TIMEOUT + 10)
        try:
            code = proc.wait(timeout=max(1.0, sigterm_at[0] + delay + TIMEOUT + 5 - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            code = None
        results[number] = (tally, code, readiness_down, f"log {log.name}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("artifact")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    args, artifact_options = parser.parse_known_args()
    artifact = os.path.abspath(args.artifact)
    command = command_for(artifact, artifact_options)
    delay = default_delay()
    print(f"{args.runs} runs of {command[0] if not artifact.endswith('.jar') else 'java -jar'} "
          f"{os.path.basename(artifact)}, {args.parallel} at a time, {args.clients} busy and {IDLE_CALLERS} idle "
          f"callers each, default shutdown delay {delay:g}s")
    results = {}
    started = time.monotonic()
    for first in range(0, args.runs, args.parallel):
        batch = [threading.Thread(target=one_run, args=(command, n, args.clients, delay, results))
                 for n in range(first, min(args.runs, first + args.parallel))]
        for t in batch:
            t.start()
            time.sleep(0.2)
        for t in batch:
            t.join()
    passed = failed = 0
    sent = answered = 0
    for n in range(args.runs):
        tally, code, readiness_down, where = results.get(n, (Tally(), None, False, "no result"))
        sent += tally.sent
        answered += tally.answered
        ok = (code == 0 and readiness_down and not tally.failures and tally.sent == tally.answered
              and tally.sent > 0 and tally.closed_with_notice > 0)
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} run {n + 1}: {tally.sent} sent, {tally.answered} answered, "
              f"{tally.closed_with_notice} connections closed with notice, {tally.refused_connects} connects refused "
              f"after the listener closed, readiness DOWN {readiness_down}, exit {code}"
              + ("" if ok else f" ({where}) {tally.failures[:3]}"))
    print(f"requests sent {sent}, answers received {answered}, lost {sent - answered}, "
          f"in {time.monotonic() - started:.0f}s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
