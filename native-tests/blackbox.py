#!/usr/bin/env python3
"""Black-box tests of the packaged artifact (the JVM jar or the native executable), run as a separate process.

    native-tests/blackbox.py target/quarkus-app/quarkus-run.jar
    native-tests/blackbox.py target/sidecar-injector-1.0.0-SNAPSHOT-runner [-Xmx64m -Xmn16m]

Options after the artifact are passed to it: JVM options for the jar, run-time options for the native executable
(CI runs the native executable with a 64 MB heap, so that the whole suite, hostile inputs included, is known to
fit in it).

For a jar it first checks that the class-data archive the build wrote beside it serves this JVM. It starts the
artifact on a free port with its configuration in a ConfigMap-shaped folder, waits for readiness,
sends the golden AdmissionReviews and a set of bad requests, changes the configuration on disk, then stops the
process with SIGTERM and checks that it exits promptly. A native executable is then started once more, with
the heap advice of docs/operations.md (-Xmx128m, not the options given here) and -XX:+PrintGC, for 5,000 new
pods: its collector must not have run a complete collection. It prints one line per check and a closing
'N passed, N failed' line; the exit code is non-zero if any check failed.
"""
import base64
import copy
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "src" / "test" / "resources" / "golden"

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ConfigMapDir:
    """The kubelet's layout of a mounted ConfigMap: key -> ..data/key, ..data -> a generation folder."""

    def __init__(self, files):
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="configmap"))
        self.generation = 0
        self.publish(files)
        for key in files:
            os.symlink(f"..data/{key}", self.root / key)

    def publish(self, files):
        self.generation += 1
        data = self.root / f"..gen_{self.generation}"
        data.mkdir()
        for key, text in files.items():
            (data / key).write_text(text)
        tmp = self.root / "..data_tmp"
        if tmp.is_symlink():
            tmp.unlink()
        os.symlink(data.name, tmp)
        os.replace(tmp, self.root / "..data")


def request(port, method, path, body=None, content_type="application/json", timeout=5):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def review(pod, uid, namespace="demo", api_version="admission.k8s.io/v1"):
    return {
        "apiVersion": api_version, "kind": "AdmissionReview",
        "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "resource": {"group": "", "version": "v1", "resource": "pods"},
                    "namespace": namespace, "operation": "CREATE", "object": pod, "dryRun": False},
    }


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def apply_patch(doc, patch):
    """RFC 6902 add/remove/replace: the operations the injector emits."""
    doc = copy.deepcopy(doc)
    for op in patch:
        tokens = [unescape(t) for t in op["path"].split("/")[1:]]
        parent = doc
        for t in tokens[:-1]:
            parent = parent[int(t)] if isinstance(parent, list) else parent[t]
        last = tokens[-1]
        if op["op"] == "add":
            if isinstance(parent, list):
                parent.insert(len(parent) if last == "-" else int(last), op["value"])
            else:
                parent[last] = op["value"]
        elif op["op"] == "replace":
            parent[int(last) if isinstance(parent, list) else last] = op["value"]
        elif op["op"] == "remove":
            del parent[int(last) if isinstance(parent, list) else last]
        else:
            raise ValueError(f"unexpected operation {op['op']}")
    return doc


def inject(port, pod, uid="u", namespace="demo", api_version="admission.k8s.io/v1"):
    status, body = request(port, "POST", "/inject", json.dumps(review(pod, uid, namespace, api_version)).encode())
    if status != 200:
        raise AssertionError(f"/inject answered {status}: {body[:200]!r}")
    answer = json.loads(body)
    response = answer["response"]
    patch = json.loads(base64.b64decode(response["patch"])) if "patch" in response else []
    return answer, apply_patch(pod, patch)


def wait_ready(port, proc, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            status, _ = request(port, "GET", "/q/health/ready", timeout=1)
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


def typical_pod():
    """The golden case with several containers and ports, as the load checks send it."""
    return yaml.safe_load((GOLDEN / "several-containers-with-ports.in.yaml").read_text())


def wait_or_kill(proc, seconds=20):
    """The exit code, or None when the process had to be killed after the given time."""
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        return None


def stop(proc):
    """SIGTERM, as Kubernetes stops a pod; killed if it has not exited within 20 s."""
    proc.send_signal(signal.SIGTERM)
    return wait_or_kill(proc)


def command_for(artifact, options):
    """options: JVM options for a jar, run-time options (-Xmx, -Xmn) for a native executable."""
    if artifact.endswith(".jar"):
        return ["java"] + options + ["-jar", artifact]
    return [artifact] + options


def class_data_archive(jar):
    """The jar build writes a class-data archive beside the jar from a training run of the service
    (docs/operations.md, JVM start): run from the jar's folder with it, a JVM must load from it the
    application's classes, those of the server that start loads and those that a request loads."""
    folder = pathlib.Path(jar).parent
    check("the jar build wrote app-cds.jsa", (folder / "app-cds.jsa").exists())
    run = subprocess.run(["java", "-Xshare:on", "-XX:SharedArchiveFile=app-cds.jsa", "-Xlog:class+load=info",
                          "-jar", pathlib.Path(jar).name, "--version"], cwd=folder, capture_output=True, text=True,
                         timeout=60)
    from_archive = [l for l in run.stdout.splitlines() if "shared objects file (top)" in l]
    check("the application's classes load from app-cds.jsa",
          run.returncode == 0 and any("io.sidecarinjector.Main " in l for l in from_archive),
          f"(exit {run.returncode}, {len(from_archive)} classes from it) {run.stderr[-300:]}")
    port = free_port()
    classes = pathlib.Path(tempfile.mktemp(prefix="blackbox-classes-", suffix=".log"))
    proc = subprocess.Popen(["java", "-Xshare:on", "-XX:SharedArchiveFile=app-cds.jsa",
                             f"-Xlog:class+load=info:file={classes}", "-jar", pathlib.Path(jar).name], cwd=folder,
                            env=dict(os.environ, QUARKUS_HTTP_PORT=str(port)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    pod = typical_pod()
    try:
        served = wait_ready(port, proc, 60) and "patch" in inject(port, pod, uid="cds")[0]["response"]
    finally:
        stop(proc)
    loaded = classes.read_text().splitlines() if classes.exists() else []
    # one class of each: the server's start, the request's way through the HTTP layer, the injection
    wanted = ["io.vertx.core.http.impl.Http1xServerConnection", "io.netty.handler.codec.http.HttpObjectDecoder",
              "io.sidecarinjector.admission.InjectEndpoint", "io.sidecarinjector.patch.PodPatch"]
    missing = [name for name in wanted
               if not any(l.split()[1:2] == [name] and "shared objects file (top)" in l for l in loaded)]
    check("serving a pod, the server's and the request's classes load from app-cds.jsa", served and not missing,
          f"(served {served}, not from it: {missing}, {len(loaded)} classes loaded; log {classes})")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    artifact = str(pathlib.Path(sys.argv[1]).resolve())
    if artifact.endswith(".jar"):
        class_data_archive(artifact)
    port = free_port()
    config = ConfigMapDir({"config": "policy: enabled\n", "mesh": "trustDomain: cluster.local\n",
                           "values": '{"global": {"tag": "blackbox"}}'})
    env = dict(os.environ, QUARKUS_HTTP_PORT=str(port),
               INJECTOR_CONFIG_FILE=str(config.root / "config"), INJECTOR_MESH_FILE=str(config.root / "mesh"),
               INJECTOR_VALUES_FILE=str(config.root / "values"),
               INJECTOR_RELOAD_INTERVAL="200ms", QUARKUS_SHUTDOWN_DELAY="1s")
    log = open(tempfile.mktemp(prefix="blackbox-", suffix=".log"), "w")
    started = time.monotonic()
    proc = subprocess.Popen(command_for(artifact, sys.argv[2:]), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        ready = wait_ready(port, proc, 60)
        check(f"ready after {time.monotonic() - started:.2f}s", ready, f"(log: {log.name})")
        if not ready:
            return 1
        try:
            run_checks(port, config)
        except Exception as e:  # a crash of the checks is a failed check, and the process is still stopped
            check("checks ran to the end", False, repr(e))
    finally:
        if proc.poll() is None:
            shutdown_under_load(port, proc, log)
        log.close()
    if not artifact.endswith(".jar"):
        collector_under_new_pods(artifact)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def shutdown_under_load(port, proc, log):
    """SIGTERM while clients keep sending, as Kubernetes sees it: readiness turns DOWN first; clients (the API
    server, through endpoints that follow readiness) keep sending for half of the shutdown delay, then stop; every
    request sent is answered, and the process exits 0."""
    import http.client
    import threading
    pod = typical_pod()
    body = json.dumps(review(pod, "drain")).encode()
    stop = threading.Event()
    drained = threading.Event()
    outcomes = {"answered": 0, "refused": 0, "failed": []}
    lock = threading.Lock()

    def client():
        while not stop.is_set() and not drained.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.connect()
            except ConnectionRefusedError:
                with lock:
                    outcomes["refused"] += 1
                time.sleep(0.01)
                continue
            try:
                conn.request("POST", "/inject", body, {"Content-Type": "application/json", "Connection": "close"})
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200 and json.loads(data)["response"]["uid"] == "drain"
                with lock:
                    if ok:
                        outcomes["answered"] += 1
                    else:
                        outcomes["failed"].append(f"{resp.status} {data[:80]!r}")
            except Exception as e:  # a connection accepted and then dropped is a lost request
                with lock:
                    outcomes["failed"].append(repr(e))
            finally:
                conn.close()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    saw_not_ready = False
    deadline = time.monotonic() + 0.9
    while time.monotonic() < deadline and not saw_not_ready:
        try:
            status, _ = request(port, "GET", "/q/health/ready", timeout=1)
            saw_not_ready = status == 503
        except OSError:
            break
        time.sleep(0.02)
    time.sleep(0.5)  # endpoints propagating: requests still arrive, and are served
    drained.set()
    code = wait_or_kill(proc)
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    check("SIGTERM: readiness DOWN during the shutdown delay", saw_not_ready)
    check(f"SIGTERM: {outcomes['answered']} requests answered during shutdown, none lost",
          outcomes["answered"] > 0 and not outcomes["failed"], str(outcomes["failed"][:3]))
    check(f"SIGTERM: exited with {code}", code == 0, f"(log: {log.name})")


def collector_under_new_pods(executable, pods=5000, clients=4):
    """The native build selects the collector policy Adaptive2 (docs/native-image.md): under a stream of pods
    never seen before, with room in the heap, it collects incrementally only. GraalVM's default policy also runs
    complete collections, which new pods wait for."""
    import http.client
    import threading
    port = free_port()
    log = open(tempfile.mktemp(prefix="blackbox-gc-", suffix=".log"), "w")
    proc = subprocess.Popen([executable, "-Xmx128m", "-XX:+PrintGC"], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, QUARKUS_HTTP_PORT=str(port)))
    pod = typical_pod()
    errors = []

    def client(first):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            for n in range(first, pods, clients):
                new_pod = copy.deepcopy(pod)
                new_pod.setdefault("metadata", {}).setdefault("labels", {})["seq"] = str(n)
                conn.request("POST", "/inject", json.dumps(review(new_pod, f"gc-{n}")).encode(),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                if resp.status != 200 or b'"patch"' not in resp.read():
                    errors.append(n)
        except Exception as e:  # a failed client is a failed check, not a crashed suite
            errors.append(repr(e))
        finally:
            conn.close()

    try:
        if not wait_ready(port, proc, 60):
            check("collector: second instance ready", False, f"(log: {log.name})")
            return
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(proc)
        log.close()
    lines = pathlib.Path(log.name).read_text().splitlines()
    incremental = sum("Incremental GC" in line for line in lines)
    complete = sum("Full GC" in line for line in lines)
    check(f"collector: {pods} new pods injected, {incremental} incremental and {complete} complete collections",
          not errors and incremental >= 10 and complete == 0, f"(errors {errors[:3]}, log: {log.name})")


def run_checks(port, config):
    cases = sorted(p.name[:-len(".in.yaml")] for p in GOLDEN.glob("*.in.yaml"))
    for case in cases:
        pod = yaml.safe_load((GOLDEN / f"{case}.in.yaml").read_text())
        expected = yaml.safe_load((GOLDEN / f"{case}.out.yaml").read_text())
        namespace = pod.get("metadata", {}).get("namespace", "default")
        for version in ("admission.k8s.io/v1", "admission.k8s.io/v1beta1"):
            answer, injected = inject(port, pod, f"uid-{case}", namespace, version)
            check(f"golden {case} ({version}): uid and version echoed",
                  answer["apiVersion"] == version and answer["response"]["uid"] == f"uid-{case}")
            # the golden files are made with the default tag; this instance runs with tag 'blackbox'
            text = json.dumps(injected).replace(":blackbox", ":1.30.3")
            actual = json.loads(text)
            want = copy.deepcopy(expected)
            status = json.loads(actual["metadata"]["annotations"].pop("sidecar.istio.io/status"))
            want_status = json.loads(want["metadata"]["annotations"].pop("sidecar.istio.io/status"))
            status.pop("revision"), want_status.pop("revision")
            check(f"golden {case} ({version}): patch applied to the request gives the golden pod",
                  actual == want and status == want_status)
        again, same = inject(port, injected, f"again-{case}", namespace)
        check(f"golden {case}: injecting the injected pod answers without a patch",
              "patch" not in again["response"] and same == injected)

    good = yaml.safe_load((GOLDEN / "one-container.in.yaml").read_text())
    bad = [
        ("empty body", b"", 400), ("not JSON", b"hello", 400), ("JSON array", b"[1,2]", 400),
        ("truncated", json.dumps(review(good, "t")).encode()[:100], 400),
        ("no request", json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}).encode(), 400),
        ("unknown apiVersion", json.dumps(dict(review(good, "v"), apiVersion="admission.k8s.io/v9")).encode(), 400),
        ("not a pod", json.dumps(review(dict(good, kind="Service"), "s")).encode(), 400),
        ("deeply nested", b"[" * 10000 + b"]" * 10000, 400),
    ]
    for name, body, want in bad:
        status, text = request(port, "POST", "/inject", body)
        check(f"bad input '{name}': {want} with one line", status == want and text.strip().count(b"\n") == 0,
              f"got {status} {text[:120]!r}")
        answer, _ = inject(port, good, "after-bad")
        check(f"bad input '{name}': next request served", answer["response"]["uid"] == "after-bad")
    status, _ = request(port, "POST", "/inject", b"{}", content_type="text/plain")
    check("wrong content type: 415", status == 415, f"got {status}")

    # the hostile corpus shared with HostileInputTest: <expected status>-<name>.json
    for file in sorted((ROOT / "native-tests" / "hostile").glob("*.json")):
        want = int(file.name[:3])
        started = time.monotonic()
        status, text = request(port, "POST", "/inject", file.read_bytes())
        took = time.monotonic() - started
        good_answer = status == 200 and json.loads(text)["kind"] == "AdmissionReview"
        one_line = status != 200 and text.strip().count(b"\n") == 0
        check(f"hostile {file.name}: {status} in {took * 1000:.0f} ms",
              status == want and (good_answer or one_line) and took < 1.0 and b"Exception" not in text,
              f"{text[:120]!r}")

    config.publish({"config": "policy: enabled\n", "mesh": "trustDomain: cluster.local\n",
                    "values": '{"global": {"tag": "reloaded"}}'})
    deadline = time.monotonic() + 2.0
    image = ""
    while time.monotonic() < deadline and not image.endswith(":reloaded"):
        _, injected = inject(port, good, "reload")
        image = injected["spec"]["containers"][-1]["image"]
        time.sleep(0.05)
    check("config change in service within 2 s", image.endswith(":reloaded"), f"image {image}")
    config.publish({"config": "policy: [broken\n", "mesh": "trustDomain: cluster.local\n",
                    "values": '{"global": {"tag": "broken"}}'})
    time.sleep(1.0)
    _, injected = inject(port, good, "broken")
    status, _ = request(port, "GET", "/q/health/ready")
    check("broken config: last good kept, still ready",
          injected["spec"]["containers"][-1]["image"].endswith(":reloaded") and status == 200)
    status, text = request(port, "GET", "/q/metrics")
    check("metrics: reload error counted",
          status == 200 and b"sidecar_injector_config_reload_errors_total 1.0" in text)


if __name__ == "__main__":
    sys.exit(main())
