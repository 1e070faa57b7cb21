#!/usr/bin/env python3
"""Measures how far the injector's `kube-inject` agrees with Istio 1.30.3's own expected outputs.

For every case of cases.yaml it builds the three documents istioctl's kube-inject takes (a MeshConfig, an injection
config, a values document), starting from Istio's defaults as its istio-discovery chart renders them for the default
profile (read from an Istio checkout, never shipped here), applies the case's overrides, runs the injector and
compares the pods of its output with the pods of Istio's expected output on ten points:

  1 decision        injected or not, per pod (or an error for the whole input)
  2 containers      names, in order, of initContainers and containers
  3 init-args       istio-init / istio-validation arguments, flag by flag
  4 proxy-ports-probes  istio-proxy ports; readiness, startup and liveness probes (timings left out unless
                    --strict-timings)
  5 volumes         pod volumes (name and kind) and istio-proxy's volumeMounts
  6 metadata        pod labels and annotations (sidecar.istio.io/status compared as parsed JSON)
  7 app-probes      probes of the pod's own containers, and ISTIO_KUBE_APP_PROBERS as parsed JSON
  8 proxy-env       istio-proxy env names and values (see ENV_JSON_VALUES / --ignore-env-value)
  9 security-context securityContext of istio-init, istio-validation and istio-proxy
 10 resources       resources of the same containers, quantities compared by value ("2" == "2000m")

Never compared: image references (the project may use other images). Run by hand; not part of CI.
Python 3 and PyYAML only.
"""
import argparse
import copy
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
from fractions import Fraction

import yaml

# libyaml's parser when present (much faster on the ~250 documents of a run); same results.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ISTIO = "/work/.mirror/istio+istio/repo"
DEFAULT_TAG = "1.30.3"
TESTDATA = "pkg/kube/inject/testdata/inject"
CHART = "manifests/charts/istio-control/istio-discovery"
PROFILES = "manifests/profiles"

POINTS = [
    "decision", "containers", "init-args", "proxy-ports-probes", "volumes",
    "metadata", "app-probes", "proxy-env", "security-context", "resources",
]
PROXY = "istio-proxy"
INIT_NAMES = ("istio-init", "istio-validation")
INJECTED_NAMES = (PROXY,) + INIT_NAMES
STATUS_ANNOTATION = "sidecar.istio.io/status"
# the pod's own versions of injected containers, which the injector keeps for re-injection: compared as data
OVERRIDES_ANNOTATION = "proxy.istio.io/overrides"

# Probe fields that only tune timing. Istio derives some from values (readiness*), the project may choose its own
# within what the issue allows; --strict-timings compares them too.
PROBE_TIMING_KEYS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold",
                     "successThreshold", "terminationGracePeriodSeconds")
# Proxy env vars whose value is JSON text for pilot-agent: the text's layout (indentation, key order) is not part of
# the contract, so the parsed data is compared.
ENV_JSON_VALUES = ("PROXY_CONFIG", "ISTIO_META_POD_PORTS")
# Proxy env var whose value is the other half of the app-probe rewrite: its name is checked in point 8, its parsed
# value in point 7.
APP_PROBERS_ENV = "ISTIO_KUBE_APP_PROBERS"
# Env var values left out of the comparison by default (names are always compared). Empty: every value the goldens
# show is meaningful to pilot-agent; --ignore-env-value adds names the project documents as deliberately different.
DEFAULT_IGNORED_ENV_VALUES = ()

# Kinds whose pod template is under spec.template (CronJob: spec.jobTemplate.spec.template).
TEMPLATE_KINDS = ("Deployment", "DeploymentConfig", "DaemonSet", "StatefulSet", "Job", "ReplicaSet",
                  "ReplicationController")


class ToolError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------------
# Istio checkout

def materialize_istio(path, tag, workdir):
    """Returns a directory holding Istio's test data, chart and profiles at `tag`.

    A git repository (bare or not) is read with `git archive <tag>` into workdir; a plain directory is used as is
    (it must already be at the tag)."""
    paths = [TESTDATA, CHART, PROFILES]
    probe = subprocess.run(["git", "-C", path, "rev-parse", "--verify", "--quiet", tag + "^{commit}"],
                           capture_output=True, text=True)
    if probe.returncode == 0:
        arch = subprocess.run(["git", "-C", path, "archive", "--format=tar", tag] + paths, capture_output=True)
        if arch.returncode != 0:
            raise ToolError("git archive %s in %s failed: %s" % (tag, path, arch.stderr.decode(errors="replace")))
        dest = os.path.join(workdir, "istio")
        with tarfile.open(fileobj=io.BytesIO(arch.stdout)) as tar:
            tar.extractall(dest)
        return dest
    if all(os.path.isdir(os.path.join(path, p)) for p in paths):
        return path
    raise ToolError("%s is neither a git repository with tag %s nor a checkout holding %s" % (path, tag, TESTDATA))


def read_text(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------------------------------
# Settings documents

def merge(base, over):
    """Deep merge of `over` into a copy of `base`: mappings merge, anything else replaces, None removes the key
    (Helm's rule for values)."""
    out = copy.deepcopy(base) if isinstance(base, dict) else {}
    for k, v in (over or {}).items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def chart_values(root):
    """Istio's chart values under the default profile, as the installer hands them to the istio-discovery chart
    (profile "empty" adds nothing but component switches)."""
    chart = yaml.safe_load(read_text(root, CHART + "/values.yaml"))
    defaults = chart["_internal_defaults_do_not_set"]
    profile = yaml.safe_load(read_text(root, PROFILES + "/default.yaml"))["spec"]
    user = copy.deepcopy(profile.get("values") or {})
    glob = user.setdefault("global", {})
    for key in ("hub", "tag"):
        if key in profile:
            glob[key] = profile[key]
    return merge(defaults, user)


def values_document(vals):
    """The values document the injector reads: what the chart writes under the injector ConfigMap's `values`."""
    doc = {k: copy.deepcopy(vals[k]) for k in ("global", "sidecarInjectorWebhook", "revision") if k in vals}
    doc["pilot"] = {k: copy.deepcopy(vals[k]) for k in ("cni", "env") if k in vals}
    gw = vals.get("gateways") or {}
    doc["gateways"] = {k: copy.deepcopy(gw[k]) for k in ("securityContext", "seccompProfile") if k in gw}
    return doc


BUILTIN_TEMPLATE_FILES = [
    ("sidecar", "injection-template.yaml"), ("gateway", "gateway-injection-template.yaml"),
    ("grpc-simple", "grpc-simple.yaml"), ("grpc-agent", "grpc-agent.yaml"), ("waypoint", "waypoint.yaml"),
    ("kube-gateway", "kube-gateway.yaml"), ("agentgateway", "agentgateway.yaml"),
]


def injection_document(root, doc):
    """The injection config the chart writes under the injector ConfigMap's `config` key."""
    swh = doc.get("sidecarInjectorWebhook") or {}
    custom = swh.get("templates") or {}
    templates = {}
    for name, fname in BUILTIN_TEMPLATE_FILES:
        if name not in custom:
            templates[name] = read_text(root, CHART + "/files/" + fname).strip() + "\n"
    templates.update(custom)
    return {
        "defaultTemplates": list(swh.get("defaultTemplates") or ["sidecar"]),
        "policy": doc["global"]["proxy"]["autoInject"],
        "alwaysInjectSelector": swh.get("alwaysInjectSelector") or [],
        "neverInjectSelector": swh.get("neverInjectSelector") or [],
        "injectedAnnotations": swh.get("injectedAnnotations") or {},
        "template": "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}",
        "templates": templates,
    }


def mesh_document(vals, doc):
    """The MeshConfig the chart writes under the mesh ConfigMap's `mesh` key (chart-derived part merged with the
    chart's meshConfig values)."""
    g = doc["global"]
    mesh_values = vals.get("meshConfig") or {}
    namespace = g.get("istioNamespace") or "istio-system"
    mesh = {"trustDomain": "cluster.local", "rootNamespace": mesh_values.get("rootNamespace") or namespace}
    tel = vals.get("telemetry") or {}
    v2 = tel.get("v2") or {}
    on = not mesh_values.get("defaultProviders") and tel.get("enabled") and v2.get("enabled")
    prom = bool(on and (v2.get("prometheus") or {}).get("enabled"))
    sd = bool(on and (v2.get("stackdriver") or {}).get("enabled"))
    if prom or sd:
        providers = {"metrics": (["prometheus"] if prom else []) + (["stackdriver"] if sd else [])}
        if sd:
            providers["accessLogging"] = ["stackdriver"]
        mesh["defaultProviders"] = providers
    proxy = g.get("proxy") or {}
    dc = {}
    if g.get("meshID"):
        dc["meshId"] = g["meshID"]
    variant = proxy.get("variant") or g.get("variant")
    if variant:
        dc["image"] = {"imageType": variant}
    tracer = proxy.get("tracer", "none")
    tracer_cfg = g.get("tracer") or {}
    if tracer == "zipkin":
        dc["tracing"] = {"zipkin": {"address": (tracer_cfg.get("zipkin") or {}).get("address")
                                    or "zipkin.%s:9411" % namespace}}
    elif tracer == "datadog":
        dc["tracing"] = {"datadog": {"address": (tracer_cfg.get("datadog") or {}).get("address") or "$(HOST_IP):8126"}}
    elif tracer != "none":
        raise ToolError("global.proxy.tracer=%s is not handled by this tool" % tracer)
    revision = doc.get("revision") or ""
    if g.get("remotePilotAddress"):
        dc["discoveryAddress"] = "istiod.%s.svc:15012" % namespace
    else:
        dc["discoveryAddress"] = "istiod%s.%s.svc:15012" % ("-" + revision if revision else "", namespace)
    mesh["defaultConfig"] = dc
    return merge(mesh, mesh_values)


def build_documents(root, case):
    """(mesh, injection config, values) for a case."""
    vals = chart_values(root)
    if case.get("values_file"):
        iop = yaml.safe_load(read_text(root, TESTDATA + "/" + case["values_file"]))
        vals = merge(vals, (iop.get("spec") or {}).get("values") or {})
    doc = merge(values_document(vals), case.get("values") or {})
    inject = merge(injection_document(root, doc), case.get("injection") or {})
    mesh = merge(mesh_document(vals, doc), case.get("mesh") or {})
    return mesh, inject, doc


def write_documents(dirpath, mesh, inject, values):
    os.makedirs(dirpath, exist_ok=True)
    paths = (os.path.join(dirpath, "mesh.yaml"), os.path.join(dirpath, "inject-config.yaml"),
             os.path.join(dirpath, "values.json"))
    with open(paths[0], "w", encoding="utf-8") as f:
        yaml.safe_dump(mesh, f, sort_keys=False)
    with open(paths[1], "w", encoding="utf-8") as f:
        yaml.safe_dump(inject, f, sort_keys=False, width=1 << 20)
    with open(paths[2], "w", encoding="utf-8") as f:
        json.dump(values, f, indent=2)
    return paths


# ---------------------------------------------------------------------------------------------------------------------
# Running the injector

class Outcome:
    """What a run produced: the output text, or an error message."""

    def __init__(self, text=None, error=None, detail=""):
        self.text, self.error, self.detail = text, error, detail


def run_injector(injector, input_path, mesh_path, inject_path, values_path, revision=None, env=None, timeout=120):
    """Runs `<injector> kube-inject` with istioctl's flags. The only place that knows the command line."""
    argv = shlex.split(injector) + ["kube-inject", "-f", input_path, "--meshConfigFile", mesh_path,
                                    "--injectConfigFile", inject_path, "--valuesFile", values_path]
    if revision:
        argv += ["--revision", revision]
    child_env = dict(os.environ)
    child_env.update({k: str(v) for k, v in (env or {}).items()})
    try:
        p = subprocess.run(argv, capture_output=True, text=True, env=child_env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Outcome(error="timed out after %ss" % timeout)
    except OSError as e:
        return Outcome(error="could not start %s: %s" % (argv[0], e))
    if p.returncode != 0:
        return Outcome(error=(p.stderr.strip() or p.stdout.strip() or "exit %d" % p.returncode).splitlines()[-1],
                       detail=p.stderr)
    return Outcome(text=p.stdout, detail=p.stderr)


# ---------------------------------------------------------------------------------------------------------------------
# Parsing

def parse_docs(text):
    return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]


def pods_of(docs):
    """Ordered list of (key, metadata, spec) for each pod or pod template in the documents. The key is the object's
    kind and name (a List's items prefixed with the List), so other documents around the pods do not shift it."""
    out = []

    def visit(obj, key_prefix):
        if not isinstance(obj, dict):
            return
        kind = obj.get("kind") or "?"
        name = (obj.get("metadata") or {}).get("name") or ""
        key = "%s%s%s" % (key_prefix, kind, "/" + name if name else "")
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = "%s#%d" % (key, seen[key])
        spec = obj.get("spec") or {}
        tmpl = None
        if kind == "List":
            for i, item in enumerate(obj.get("items") or []):
                visit(item, "%s[%d] " % (key, i))
            return
        if kind == "Pod":
            tmpl = obj
        elif kind == "CronJob":
            tmpl = (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template"))
        elif kind in TEMPLATE_KINDS:
            tmpl = spec.get("template")
        if isinstance(tmpl, dict):
            out.append((key, tmpl.get("metadata") or {}, tmpl.get("spec") or {}))

    seen = {}
    for d in docs:
        visit(d, "")
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Normalisation

_QTY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
_SUFFIX = {None: Fraction(1), "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
           "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
           "P": Fraction(10**15), "E": Fraction(10**18), "Ki": Fraction(2**10), "Mi": Fraction(2**20),
           "Gi": Fraction(2**30), "Ti": Fraction(2**40), "Pi": Fraction(2**50), "Ei": Fraction(2**60)}


def quantity(q):
    """A Kubernetes quantity as one canonical spelling of its exact value ("2000m" -> "2", "1024Mi" -> "1Gi",
    "0.1" -> "100m"); unparsable text is kept as is."""
    m = _QTY.match(str(q).strip())
    if not m:
        return str(q)
    v = Fraction(m.group(1)) * _SUFFIX[m.group(2)]
    if v.denominator == 1:
        for unit, size in (("Gi", 2**30), ("Mi", 2**20)):
            if v and v % size == 0:
                return "%d%s" % (v // size, unit)
        return str(v.numerator)
    if (v * 1000).denominator == 1:
        return "%dm" % (v * 1000)
    return "%d/%d" % (v.numerator, v.denominator)


def norm_resources(r):
    out = {}
    for part in ("limits", "requests", "claims"):
        v = (r or {}).get(part)
        if not v:
            continue
        out[part] = {k: quantity(x) for k, x in v.items()} if isinstance(v, dict) else v
    return out


def norm_overrides(text):
    """proxy.istio.io/overrides as data: key order, empty resources and quantity spellings do not count."""
    data = parse_json(text)
    if not isinstance(data, dict):
        return data
    for key in ("containers", "initContainers"):
        for c in data.get(key) or []:
            if isinstance(c, dict) and "resources" in c:
                r = norm_resources(c["resources"])
                if r:
                    c["resources"] = r
                else:
                    del c["resources"]
    return data


def norm_handler(probe):
    p = copy.deepcopy(probe)
    hg = p.get("httpGet")
    if isinstance(hg, dict):
        if "port" in hg:
            hg["port"] = str(hg["port"])
        if hg.get("scheme") == "HTTP":
            del hg["scheme"]
        if not hg.get("httpHeaders"):
            hg.pop("httpHeaders", None)
    for k in ("tcpSocket", "grpc"):
        if isinstance(p.get(k), dict) and "port" in p[k]:
            p[k]["port"] = str(p[k]["port"])
    return p


def norm_probe(probe, strict_timings):
    if not probe:
        return None
    p = norm_handler(probe)
    if not strict_timings:
        for k in PROBE_TIMING_KEYS:
            p.pop(k, None)
    return p


def norm_security_context(sc):
    sc = copy.deepcopy(sc or {})
    caps = sc.get("capabilities")
    if isinstance(caps, dict):
        for k in ("add", "drop"):
            if k in caps:
                caps[k] = sorted(caps[k] or [])
            if not caps.get(k):
                caps.pop(k, None)
        if not caps:
            sc.pop("capabilities")
    return sc


def parse_json(text):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return {"<not JSON>": text}


def norm_env_value(e, name):
    if "valueFrom" in e and e["valueFrom"] is not None:
        vf = copy.deepcopy(e["valueFrom"])
        fr = vf.get("fieldRef")
        if isinstance(fr, dict) and fr.get("apiVersion") == "v1":
            del fr["apiVersion"]
        rr = vf.get("resourceFieldRef")
        if isinstance(rr, dict):
            rr["divisor"] = quantity(rr.get("divisor", "1"))
        return {"valueFrom": vf}
    v = e.get("value") or ""
    if name in ENV_JSON_VALUES:
        return {"json": parse_json(v)}
    return {"value": v}


def find_container(spec, name):
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if c.get("name") == name:
            return c
    return None


def parse_flags(args):
    """istio-iptables arguments as {flag: [values]}; positional words (the command) under '<args>'."""
    out = {}
    args = [str(a) for a in (args or [])]
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1:
            if "=" in a:
                k, v = a.split("=", 1)
                out.setdefault(k, []).append(v)
            elif i + 1 < len(args) and not (args[i + 1].startswith("-") and len(args[i + 1]) > 1):
                out.setdefault(a, []).append(args[i + 1])
                i += 1
            else:
                out.setdefault(a, []).append(True)
        else:
            out.setdefault("<args>", []).append(a)
        i += 1
    return out


def volume_kind(v):
    kinds = [k for k in v if k != "name"]
    return kinds[0] if kinds else "emptyDir"


def point_views(meta, spec, opts):
    """The ten compared views of one pod (point 1 is set by the caller)."""
    ignored_env = set(opts.get("ignore_env_values") or ())
    strict = opts.get("strict_timings", False)
    proxy = find_container(spec, PROXY)
    views = {}
    views["decision"] = "injected" if STATUS_ANNOTATION in (meta.get("annotations") or {}) else "not injected"
    views["containers"] = {"initContainers": [c.get("name") for c in spec.get("initContainers") or []],
                           "containers": [c.get("name") for c in spec.get("containers") or []]}
    views["init-args"] = {}
    for n in INIT_NAMES:
        c = find_container(spec, n)
        if c is not None:
            views["init-args"][n] = parse_flags(c.get("args"))
    pp = None
    if proxy is not None:
        ports = []
        for p in proxy.get("ports") or []:
            q = {"containerPort": p.get("containerPort"), "protocol": p.get("protocol") or "TCP"}
            for k in ("name", "hostPort", "hostIP"):
                if p.get(k) is not None:
                    q[k] = p[k]
            ports.append(q)
        ports.sort(key=lambda q: (q["containerPort"] or 0, q.get("name") or ""))
        pp = {"ports": ports}
        for k in ("readinessProbe", "startupProbe", "livenessProbe"):
            pp[k] = norm_probe(proxy.get(k), strict)
    views["proxy-ports-probes"] = pp
    vols = sorted("%s (%s)" % (v.get("name"), volume_kind(v)) for v in spec.get("volumes") or [])
    mounts = None
    if proxy is not None:
        mounts = sorted(
            ({"name": m.get("name"), "mountPath": m.get("mountPath"), "readOnly": bool(m.get("readOnly")),
              **({"subPath": m["subPath"]} if m.get("subPath") else {})} for m in proxy.get("volumeMounts") or []),
            key=lambda m: (m["mountPath"] or "", m["name"] or ""))
    views["volumes"] = {"volumes": vols, "istio-proxy volumeMounts": mounts}
    ann = dict(meta.get("annotations") or {})
    if STATUS_ANNOTATION in ann:
        ann[STATUS_ANNOTATION] = parse_json(ann[STATUS_ANNOTATION])
    if OVERRIDES_ANNOTATION in ann:
        ann[OVERRIDES_ANNOTATION] = norm_overrides(ann[OVERRIDES_ANNOTATION])
    views["metadata"] = {"labels": dict(meta.get("labels") or {}), "annotations": ann}
    app = {}
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if c.get("name") in INJECTED_NAMES:
            continue
        probes = {k: norm_handler(c[k]) for k in ("readinessProbe", "livenessProbe", "startupProbe") if c.get(k)}
        if probes:
            app[c.get("name")] = probes
    probers = None
    env = {}
    if proxy is not None:
        for e in proxy.get("env") or []:
            name = e.get("name")
            if name == APP_PROBERS_ENV:
                probers = parse_json(e.get("value") or "{}")
                env[name] = "<compared in app-probes>"
            elif name in ignored_env:
                env[name] = "<value not compared>"
            else:
                env[name] = norm_env_value(e, name)
    views["app-probes"] = {"containers": app, APP_PROBERS_ENV: probers}
    views["proxy-env"] = env if proxy is not None else None
    views["security-context"] = {n: norm_security_context(find_container(spec, n).get("securityContext"))
                                 for n in INJECTED_NAMES if find_container(spec, n) is not None}
    views["resources"] = {n: norm_resources(find_container(spec, n).get("resources"))
                          for n in INJECTED_NAMES if find_container(spec, n) is not None}
    return views


def other_views(meta, spec):
    """Fields outside the ten points, shown by --case for information only (never counted)."""
    out = {"imagePullSecrets": spec.get("imagePullSecrets"), "dnsConfig": spec.get("dnsConfig"),
           "securityContext (pod)": spec.get("securityContext")}
    for n in INJECTED_NAMES:
        c = find_container(spec, n)
        if c is not None:
            out[n] = {k: c.get(k) for k in ("imagePullPolicy", "lifecycle", "restartPolicy", "command") if k in c}
            if n == PROXY:
                out[n]["args"] = c.get("args")
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Differences

def differences(exp, got, path=""):
    """Readable differences between two normalised structures, one string each."""
    if isinstance(exp, dict) and isinstance(got, dict):
        out = []
        for k in list(exp.keys()) + [k for k in got.keys() if k not in exp]:
            p = "%s.%s" % (path, k) if path else str(k)
            if k not in got:
                out.append("%s: missing (Istio: %s)" % (p, brief(exp[k])))
            elif k not in exp:
                out.append("%s: extra (%s)" % (p, brief(got[k])))
            else:
                out.extend(differences(exp[k], got[k], p))
        return out
    if exp == got:
        return []
    if isinstance(exp, list) and isinstance(got, list):
        ek = [brief(x, 10**6) for x in exp]
        gk = [brief(x, 10**6) for x in got]
        missing = [x for x, k in zip(exp, ek) if k not in gk]
        extra = [x for x, k in zip(got, gk) if k not in ek]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing %s" % brief(missing))
            if extra:
                parts.append("extra %s" % brief(extra))
            return ["%s%s" % (path + ": " if path else "", ", ".join(parts))]
        return ["%sorder Istio %s, got %s" % (path + ": " if path else "", brief(exp), brief(got))]
    return ["%sIstio %s, got %s" % (path + ": " if path else "", brief(exp), brief(got))]


BRIEF_LIMIT = [160]


def brief(v, limit=None):
    limit = limit or BRIEF_LIMIT[0]
    s = json.dumps(v, sort_keys=True, default=str) if not isinstance(v, str) else json.dumps(v)
    return s if len(s) <= limit else s[:limit - 3] + "..."


def compare_outcomes(case, expected, actual, opts):
    """Compares two Outcomes point by point. Returns {point: [difference lines]} (empty list = agrees), notes."""
    diffs = {p: [] for p in POINTS}
    notes = []
    if expected.error is not None or actual.error is not None:
        if expected.error is not None and actual.error is not None:
            want = case.get("expect_error")
            if want and want not in actual.error.lower():
                notes.append("error text lacks %r: %s" % (want, actual.error))
            return diffs, notes
        if expected.error is not None:
            diffs["decision"].append("Istio fails (%s); got an output" % expected.error)
        else:
            diffs["decision"].append("Istio writes an output; got an error: %s" % actual.error)
        for p in POINTS[1:]:
            diffs[p].append("not comparable (one side failed)")
        return diffs, notes
    try:
        exp_pods = pods_of(parse_docs(expected.text))
    except yaml.YAMLError as e:
        raise ToolError("Istio's expected output does not parse: %s" % e)
    try:
        got_pods = pods_of(parse_docs(actual.text))
    except yaml.YAMLError as e:
        diffs["decision"].append("output is not YAML: %s" % str(e).splitlines()[0])
        for p in POINTS[1:]:
            diffs[p].append("not comparable (output is not YAML)")
        return diffs, notes
    exp_keys = [k for k, _, _ in exp_pods]
    got_keys = [k for k, _, _ in got_pods]
    if exp_keys != got_keys:
        diffs["decision"].append("pods Istio %s, got %s" % (brief(exp_keys), brief(got_keys)))
    got_by_key = {k: (m, s) for k, m, s in got_pods}
    multi = len(exp_pods) > 1
    for key, meta, spec in exp_pods:
        if key not in got_by_key:
            continue
        ev = point_views(meta, spec, opts)
        gv = point_views(*got_by_key[key], opts)
        for p in POINTS:
            for line in differences(ev[p], gv[p]):
                diffs[p].append(("[%s] " % key.strip() if multi else "") + line)
    return diffs, notes


# ---------------------------------------------------------------------------------------------------------------------
# Cases and the run

def load_cases(path):
    with open(path, encoding="utf-8") as f:
        table = yaml.safe_load(f)
    defaults = table.get("defaults") or {}
    cases = []
    for c in table["cases"]:
        c = dict(c)
        c["env"] = {**(defaults.get("env") or {}), **(c.get("env") or {})}
        cases.append(c)
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ToolError("duplicate case names in %s: %s" % (path, ", ".join(sorted(dup))))
    return cases


def expected_outcome(root, case):
    if case.get("expect_error"):
        return Outcome(error="Istio: error containing %r" % case["expect_error"])
    return Outcome(text=read_text(root, TESTDATA + "/" + case["expected"]))


def uncovered_goldens(root, cases):
    covered = {c.get("expected") for c in cases} | {c["input"] for c in cases}
    names = os.listdir(os.path.join(root, TESTDATA))
    return sorted(n for n in names if n.endswith(".injected") and n not in covered)


def run_case(root, case, args, workdir):
    mesh, inject, values = build_documents(root, case)
    d = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", case["name"]))
    mp, ip, vp = write_documents(d, mesh, inject, values)
    actual = run_injector(args.injector, os.path.join(root, TESTDATA, case["input"]), mp, ip, vp,
                          revision=case.get("revision"), env=case.get("env"), timeout=args.timeout)
    return actual, d


def summarise(results, out):
    supported = [r for r in results if r["supported"]]
    agree = [r for r in supported if r["agree"] == len(POINTS)]
    pct = 100.0 * len(agree) / len(supported) if supported else 0.0
    out.write("\nsummary: %d of %d supported cases agree on all ten points (%.1f %%); %d unsupported\n"
              % (len(agree), len(supported), pct, len(results) - len(supported)))
    per_point = {p: sum(1 for r in supported if p in r["differs"]) for p in POINTS}
    out.write("cases differing per point: %s\n" % ", ".join("%s %d" % (p, n) for p, n in per_point.items()))
    dis = [r for r in supported if r["agree"] != len(POINTS)]
    if dis:
        out.write("disagreeing:\n")
        for r in dis:
            out.write("  %s (%d/10; %s)\n" % (r["case"], r["agree"], ", ".join(r["differs"])))
    uns = [r for r in results if not r["supported"]]
    if uns:
        out.write("unsupported:\n")
        for r in uns:
            out.write("  %s: %s\n" % (r["case"], r["reason"]))
    return pct


def report_case(case, diffs, notes, full, out):
    differ = [p for p in POINTS if diffs[p]]
    agree = len(POINTS) - len(differ)
    out.write("%s: %d/10 agree%s\n" % (case["name"], agree, (" (differ: %s)" % ", ".join(differ)) if differ else ""))
    for i, p in enumerate(POINTS, 1):
        lines = diffs[p]
        if not lines:
            continue
        if full:
            out.write("  (%d) %s:\n" % (i, p))
            for line in lines:
                out.write("      %s\n" % line)
        else:
            more = " (+%d more)" % (len(lines) - 1) if len(lines) > 1 else ""
            out.write("  (%d) %s: %s%s\n" % (i, p, lines[0], more))
    for n in notes:
        out.write("  note: %s\n" % n)
    return {"case": case["name"], "supported": True, "agree": agree, "differs": differ,
            "differences": {p: diffs[p] for p in differ}, "notes": notes}


def opts_of(args):
    return {"strict_timings": args.strict_timings,
            "ignore_env_values": list(DEFAULT_IGNORED_ENV_VALUES) + list(args.ignore_env_value or [])}


def main_compare(args, root, cases, workdir):
    if args.case:
        BRIEF_LIMIT[0] = 4000
        cases = [c for c in cases if c["name"] == args.case]
        if not cases:
            raise ToolError("no case named %r in %s" % (args.case, args.cases))
    for g in uncovered_goldens(root, cases if not args.case else load_cases(args.cases)):
        sys.stderr.write("warning: %s of the Istio checkout has no entry in the case table\n" % g)
    opts = opts_of(args)
    results = []
    out = sys.stdout
    for case in cases:
        if case.get("supported") is False:
            out.write("%s: unsupported (%s)\n" % (case["name"], " ".join(str(case.get("reason", "")).split())))
            results.append({"case": case["name"], "supported": False,
                            "reason": " ".join(str(case.get("reason", "")).split())})
            continue
        actual, docdir = run_case(root, case, args, workdir)
        diffs, notes = compare_outcomes(case, expected_outcome(root, case), actual, opts)
        results.append(report_case(case, diffs, notes, bool(args.case), out))
        if args.case:
            out.write("  documents: %s\n" % (docdir if args.workdir else "(kept with --workdir DIR)"))
            if actual.detail.strip():
                out.write("  injector stderr:\n%s\n" % "\n".join("    " + l for l in actual.detail.splitlines()[-20:]))
            if actual.error is None:
                exp_pods = pods_of(parse_docs(expected_outcome(root, case).text or ""))
                got_pods = {k: (m, s) for k, m, s in pods_of(parse_docs(actual.text))}
                for key, meta, spec in exp_pods:
                    if key in got_pods:
                        lines = differences(other_views(meta, spec), other_views(*got_pods[key]))
                        if lines:
                            out.write("  outside the ten points [%s] (information only):\n" % key.strip())
                            for line in lines:
                                out.write("      %s\n" % line)
    pct = summarise(results, out) if not args.case else None
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"istio_tag": args.tag, "injector": args.injector, "percent_agreeing": pct,
                       "strict_timings": args.strict_timings, "results": results}, f, indent=2)
    return 0


# ---------------------------------------------------------------------------------------------------------------------
# Self-test: the comparison logic against Istio's own expected outputs

def _mutate(text, fn):
    docs = parse_docs(text)
    fn(docs)
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False)


def _pod(docs, i=0):
    return pods_of(docs)[i]


def _container(docs, name, i=0):
    return find_container(_pod(docs, i)[2], name)


def self_test(root, cases, args):
    opts = opts_of(args)
    failures = []
    checked = 0
    # Every case's expected output against itself: all ten points agree.
    for case in cases:
        if case.get("expected") is None and not case.get("expect_error"):
            continue
        exp = expected_outcome(root, case)
        diffs, _ = compare_outcomes(case, exp, exp, opts)
        bad = [p for p in POINTS if diffs[p]]
        checked += 1
        if bad:
            failures.append("%s compared with itself differs on %s" % (case["name"], bad))
        if case.get("expected"):
            # The three documents build for every case.
            try:
                build_documents(root, case)
            except Exception as e:  # noqa: BLE001 - reported as a self-test failure
                failures.append("%s: documents do not build: %s" % (case["name"], e))
            # A re-serialisation (other layout, other key order) changes nothing.
            again = Outcome(text=yaml.safe_dump_all(parse_docs(exp.text), sort_keys=True))
            if any(compare_outcomes(case, exp, again, opts)[0].values()):
                failures.append("%s: re-serialised copy differs" % case["name"])

    hello = read_text(root, TESTDATA + "/hello.yaml.injected")
    probes = read_text(root, TESTDATA + "/hello-probes.yaml.injected")
    classic = read_text(root, TESTDATA + "/hello-old-version.yaml.injected")

    def env_set(name, value):
        def fn(docs):
            for e in _container(docs, PROXY)["env"]:
                if e["name"] == name:
                    e["value"] = value
        return fn

    def reorder_json_env(name):
        def fn(docs):
            for e in _container(docs, PROXY)["env"]:
                if e["name"] == name:
                    e["value"] = json.dumps(json.loads(e["value"]), indent=7, sort_keys=True)
        return fn

    def del_status(docs):
        del _pod(docs)[1]["annotations"][STATUS_ANNOTATION]

    def swap_init(docs):
        ic = _pod(docs)[2]["initContainers"]
        ic.reverse()

    def swap_containers(docs):
        _pod(docs)[2]["containers"].reverse()

    def init_flag(docs):
        a = _container(docs, "istio-init")["args"]
        a[a.index("-p") + 1] = "15002"

    def drop_flag(docs):
        a = _container(docs, "istio-init")["args"]
        a.remove("--log_output_level=default:info")

    def no_startup(docs):
        del _container(docs, PROXY)["startupProbe"]

    def probe_timing(docs):
        _container(docs, PROXY)["readinessProbe"]["periodSeconds"] = 99

    def extra_port(docs):
        _container(docs, PROXY)["ports"].append({"containerPort": 15999, "name": "x"})

    def drop_volume(docs):
        vols = _pod(docs)[2]["volumes"]
        vols[:] = [v for v in vols if v["name"] != "istio-data"]

    def volume_kind_change(docs):
        for v in _pod(docs)[2]["volumes"]:
            if v["name"] == "istio-data":
                v.clear()
                v.update({"name": "istio-data", "hostPath": {"path": "/tmp"}})

    def mount_change(docs):
        for m in _container(docs, PROXY)["volumeMounts"]:
            if m["name"] == "istio-envoy":
                m["mountPath"] = "/elsewhere"

    def label_change(docs):
        _pod(docs)[1]["labels"]["service.istio.io/canonical-revision"] = "v9"

    def status_reorder(docs):
        ann = _pod(docs)[1]["annotations"]
        ann[STATUS_ANNOTATION] = json.dumps(json.loads(ann[STATUS_ANNOTATION]), sort_keys=True, indent=1)

    def status_change(docs):
        ann = _pod(docs)[1]["annotations"]
        st = json.loads(ann[STATUS_ANNOTATION])
        st["volumes"] = st["volumes"][1:]
        ann[STATUS_ANNOTATION] = json.dumps(st)

    def app_probe_change(docs):
        for c in _pod(docs)[2]["containers"]:
            if c["name"] != PROXY and c.get("readinessProbe"):
                c["readinessProbe"]["httpGet"]["path"] = "/other"
                return
        raise AssertionError("no app readiness probe")

    def probers_change(docs):
        for e in _container(docs, PROXY)["env"]:
            if e["name"] == APP_PROBERS_ENV:
                v = json.loads(e["value"])
                v[sorted(v)[0]]["timeoutSeconds"] = 77
                e["value"] = json.dumps(v)

    def drop_env(docs):
        env = _container(docs, PROXY)["env"]
        env[:] = [e for e in env if e["name"] != "ISTIO_META_OWNER"]

    def sc_change(docs):
        _container(docs, PROXY)["securityContext"]["privileged"] = True

    def caps_reorder(docs):
        caps = _container(docs, "istio-init")["securityContext"]["capabilities"]
        caps["add"].reverse()

    def res_same(docs):
        _container(docs, PROXY)["resources"]["limits"]["cpu"] = "2000m"
        _container(docs, PROXY)["resources"]["limits"]["memory"] = "1024Mi"

    def res_change(docs):
        _container(docs, PROXY)["resources"]["limits"]["cpu"] = "3"

    def image_change(docs):
        for n in INJECTED_NAMES:
            c = _container(docs, n)
            if c is not None:
                c["image"] = "example.org/other/proxy:1"

    def proxy_to_containers(docs):
        spec = _pod(docs)[2]
        proxy = find_container(spec, PROXY)
        spec["initContainers"].remove(proxy)
        spec["containers"].append(proxy)

    # (golden text, mutation, points that must differ; empty = must agree fully)
    checks = [
        ("decision: status annotation removed", hello, del_status, {"decision", "metadata"}),
        ("containers: init order swapped", hello, swap_init, {"containers"}),
        ("containers: proxy moved to containers", hello, proxy_to_containers, {"containers"}),
        ("init-args: -p value changed", hello, init_flag, {"init-args"}),
        ("init-args: flag dropped", hello, drop_flag, {"init-args"}),
        ("proxy-ports-probes: startupProbe removed", hello, no_startup, {"proxy-ports-probes"}),
        ("proxy-ports-probes: extra port", hello, extra_port, {"proxy-ports-probes"}),
        ("proxy-ports-probes: timing only (ignored)", hello, probe_timing, set()),
        ("volumes: volume removed", hello, drop_volume, {"volumes"}),
        ("volumes: volume kind changed", hello, volume_kind_change, {"volumes"}),
        ("volumes: mount path changed", hello, mount_change, {"volumes"}),
        ("metadata: label value changed", hello, label_change, {"metadata"}),
        ("metadata: status JSON re-laid (same data)", hello, status_reorder, set()),
        ("metadata: status JSON changed", hello, status_change, {"metadata"}),
        ("app-probes: rewritten probe path changed", probes, app_probe_change, {"app-probes"}),
        ("app-probes: ISTIO_KUBE_APP_PROBERS changed", probes, probers_change, {"app-probes"}),
        ("proxy-env: value changed", hello, env_set("ISTIO_META_CLUSTER_ID", "other"), {"proxy-env"}),
        ("proxy-env: variable removed", hello, drop_env, {"proxy-env"}),
        ("proxy-env: PROXY_CONFIG re-laid (same data)", hello, env_set("PROXY_CONFIG", "{ }"), set()),
        ("proxy-env: POD_PORTS re-laid (same data)", hello, reorder_json_env("ISTIO_META_POD_PORTS"), set()),
        ("proxy-env: PROXY_CONFIG changed", hello, env_set("PROXY_CONFIG", '{"concurrency":2}'), {"proxy-env"}),
        ("security-context: privileged", hello, sc_change, {"security-context"}),
        ("security-context: capabilities re-ordered (same set)", hello, caps_reorder, set()),
        ("resources: same quantities other spelling", hello, res_same, set()),
        ("resources: cpu limit changed", hello, res_change, {"resources"}),
        ("image references changed (never compared)", hello, image_change, set()),
        ("classic mode: proxy and app swapped", classic, swap_containers, {"containers"}),
        ("classic mode: istio-init args changed", classic, init_flag, {"init-args"}),
    ]
    case = {"name": "self-test"}
    for label, text, fn, want in checks:
        try:
            got_text = _mutate(text, fn)
        except Exception as e:  # noqa: BLE001 - a mutation that cannot apply is a self-test failure
            failures.append("%s: mutation failed: %r" % (label, e))
            continue
        diffs, _ = compare_outcomes(case, Outcome(text=text), Outcome(text=got_text), opts)
        differ = {p for p in POINTS if diffs[p]}
        checked += 1
        if differ != want:
            failures.append("%s: expected differing %s, reported %s" % (label, sorted(want), sorted(differ)))
        elif args.verbose:
            sys.stdout.write("ok   %s: %s\n" % (label, "; ".join(l for p in POINTS for l in diffs[p][:1]) or "agrees"))

    # Timings count with --strict-timings.
    strict = dict(opts, strict_timings=True)
    diffs, _ = compare_outcomes(case, Outcome(text=hello), Outcome(text=_mutate(hello, probe_timing)), strict)
    checked += 1
    if not diffs["proxy-ports-probes"]:
        failures.append("--strict-timings: a changed periodSeconds is not reported")

    # Errors: expected error vs output, output vs error, error vs error.
    err_case = {"name": "self-test-error", "expect_error": "includeipranges"}
    for label, exp, got, want in [
        ("error expected, output given", Outcome(error="x"), Outcome(text=hello), set(POINTS)),
        ("output expected, error given", Outcome(text=hello), Outcome(error="boom"), set(POINTS)),
        ("error expected, error given", Outcome(error="x"), Outcome(error="bad includeIPRanges"), set()),
    ]:
        diffs, _ = compare_outcomes(err_case, exp, got, opts)
        checked += 1
        if {p for p in POINTS if diffs[p]} != want:
            failures.append("%s: reported %s" % (label, [p for p in POINTS if diffs[p]]))

    # A missing pod (second document of a multi-pod golden dropped).
    multi = read_text(root, TESTDATA + "/hello-multi.yaml.injected")
    docs = parse_docs(multi)
    fewer = yaml.safe_dump_all(docs[:-1], sort_keys=False)
    diffs, _ = compare_outcomes(case, Outcome(text=multi), Outcome(text=fewer), opts)
    checked += 1
    if not diffs["decision"]:
        failures.append("a dropped pod is not reported under decision")

    # Quantities and flags.
    for a, b, same in [("2", "2000m", True), ("1Gi", "1024Mi", True), ("128Mi", "134217728", True),
                       ("100m", "0.1", True), ("1G", "1Gi", False), ("0", "0m", True), ("1.5", "1500m", True),
                       ("512Mi", "0.5Gi", True), ("500Mi", "0.5Gi", False), ("1e3", "1k", True), ("1", "2", False)]:
        checked += 1
        if (quantity(a) == quantity(b)) != same:
            failures.append("quantity %s vs %s" % (a, b))
    flags = parse_flags(["istio-iptables", "-x", "", "-b", "*", "--run-validation", "--skip-rule-apply",
                         "--log_output_level=default:info"])
    checked += 1
    if flags != {"<args>": ["istio-iptables"], "-x": [""], "-b": ["*"], "--run-validation": [True],
                 "--skip-rule-apply": [True], "--log_output_level": ["default:info"]}:
        failures.append("parse_flags: %r" % flags)

    for f in failures:
        sys.stdout.write("FAIL %s\n" % f)
    sys.stdout.write("self-test: %d checks, %d failed\n" % (checked, len(failures)))
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--injector", help='command that runs the injector, e.g. "java -jar target/quarkus-app/quarkus-run.jar"')
    ap.add_argument("--istio", default=DEFAULT_ISTIO, help="Istio checkout (git repository or plain tree at the tag)")
    ap.add_argument("--tag", default=DEFAULT_TAG, help="Istio tag to read from a git repository (default %(default)s)")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.yaml"), help="case table (default: cases.yaml here)")
    ap.add_argument("--case", help="run one case and show every difference")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--self-test", action="store_true", help="check the comparison logic on Istio's expected outputs")
    ap.add_argument("--strict-timings", action="store_true", help="compare istio-proxy probe timings too")
    ap.add_argument("--ignore-env-value", action="append", metavar="NAME",
                    help="compare only the name of this proxy env var (repeatable)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per injector run (default %(default)s)")
    ap.add_argument("--workdir", help="keep the generated documents here (default: a temporary directory)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not args.self_test and not args.injector:
        ap.error("--injector is required (or --self-test)")
    try:
        cases = load_cases(args.cases)
        with tempfile.TemporaryDirectory(prefix="istio-parity-") as tmp:
            root = materialize_istio(args.istio, args.tag, tmp)
            if args.self_test:
                return self_test(root, cases, args)
            workdir = args.workdir or os.path.join(tmp, "cases")
            return main_compare(args, root, cases, workdir)
    except ToolError as e:
        sys.stderr.write("error: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
