#!/usr/bin/env python3
"""Where a new pod's time goes on the JVM: JFR while wrk posts pods never seen before. Prints figures; asserts
nothing.

    native-tests/bench/profile.py [--seconds 15] [--top 12] [--threads injector] JVM_JAR

Starts the jar (ParallelGC, -Xmx192m), warms it with 10 s of new pods, records 15 s more with JFR's profile settings,
and prints the share of the samples of the threads named (by prefix: `injector`, the injector threads, by default;
`vert.x-eventloop` for the event loops) per top frame (the method running when sampled). Needs wrk and the JDK's
jcmd and jfr.
"""
import argparse
import collections
import json
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402


def top_frames(recording, top, threads):
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", recording],
                         capture_output=True, text=True, check=True).stdout
    frames = collections.Counter()
    total = 0
    for event in json.loads(out)["recording"]["events"]:
        thread = event["values"]["sampledThread"]["javaName"] or ""
        stack = event["values"]["stackTrace"]["frames"]
        if not thread.startswith(threads) or not stack:
            continue
        total += 1
        method = stack[0]["method"]
        frames[method["type"]["name"].replace("/", ".") + "." + method["name"]] += 1
    return total, frames.most_common(top)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jar")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--threads", default="injector", help="the threads sampled, by name prefix")
    args = parser.parse_args()
    bench.OPTIONS["jvm"] = ["-XX:+UseParallelGC", "-Xmx192m"]
    recording = tempfile.NamedTemporaryFile(suffix=".jfr", delete=False).name
    server = bench.Server(args.jar)
    try:
        body = bench.review(bench.typical_pod(seq="SEQ0000000000000"))
        server.wait_injecting(bench.review(bench.typical_pod()))
        bench.wrk(server.port, "/inject", body, distinct=True, seconds=10)
        jcmd = ["jcmd", str(server.proc.pid)]
        subprocess.run(jcmd + ["JFR.start", "settings=profile", "filename=" + recording], capture_output=True)
        result = bench.wrk(server.port, "/inject", body, distinct=True, seconds=args.seconds)
        subprocess.run(jcmd + ["JFR.stop", "filename=" + recording], capture_output=True)
    finally:
        server.stop()
    print(f"new pods while recording: {bench.fmt(result)}")
    total, frames = top_frames(recording, args.top, args.threads)
    print(f"top frames of the threads {args.threads}* ({total} samples; recording {recording}):")
    for frame, count in frames:
        print(f"  {100 * count / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
