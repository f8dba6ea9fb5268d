#!/usr/bin/env python3
"""Where the CPU goes in a bench JFR recording.

Usage: jfr print --json --events jdk.ExecutionSample FILE.jfr | python3 jfr-hotspots.py

JFR's stacks through BouncyCastle's EC code are often only a few frames deep (the walk stops in
intrinsified code), so samples are attributed by thread, which in the bench says whose work it is,
and by the package of the sampled (top) frame, which says what kind of work it is."""
import collections, json, re, sys

ROLES = [
    (r"^(coverage|paced|settlement|soak)-caller", "bench callers: the bureau sealing/opening, blocking stubs"),
    (r"^bench-insurer", "simulated insurer: open query, seal decision"),
    (r"^hmb-handler", "gateway handlers: intake, signature check, authorise, admit (JDBC)"),
    (r"^hmb-answer", "gateway pass-through answers: verify the answer, record it (JDBC)"),
    (r"^grpc-default-executor", "gRPC default executor: async client callbacks"),
    (r"^grpc-(default|nio)-worker|^grpc-default-boss|ELG", "Netty event loops: TLS records, HTTP/2, all connections"),
    (r"^hmb-(inbox|push)", "gateway delivery: inbox streams, push workers (JDBC)"),
    (r"^hmb-audit", "gateway audit chainer (SM3) and outbox metrics"),
    (r"^bench-", "bench harness (acker, echo)"),
]
KINDS = [
    (r"org\.bouncycastle\.", "crypto (BouncyCastle SM2/SM3/SM4)"),
    (r"sun\.security\.|javax\.crypto\.|com\.sun\.crypto\.|sun\.security\.ec", "TLS (JSSE, AES-GCM, ECDHE)"),
    (r"io\.grpc\.|io\.perfmark\.", "gRPC / Netty"),
    (r"org\.postgresql\.|com\.zaxxer\.", "JDBC driver / HikariCP"),
    (r"com\.google\.protobuf\.", "protobuf"),
    (r"io\.hmb\.", "hmb code"),
]

events = [e["values"] for e in json.load(sys.stdin)["recording"]["events"]]
n = len(events)

def classify(value, table, default):
    return next((label for rx, label in table if re.search(rx, value)), default)

by_role = collections.Counter()
by_kind = collections.Counter()
matrix = collections.Counter()
top = collections.Counter()
for e in events:
    thread = (e.get("sampledThread") or {}).get("javaName") or "?"
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
              for f in (e.get("stackTrace") or {}).get("frames", [])]
    role = classify(thread, ROLES, "other threads (JIT, GC, JFR)")
    kind = classify(frames[0] if frames else "", KINDS, "JDK / other")
    by_role[role] += 1
    by_kind[kind] += 1
    matrix[(role, kind)] += 1
    if frames:
        top[frames[0]] += 1

def pct(c):
    return f"{100.0 * c / n:5.1f}%"

print(f"{n} CPU samples\n\nby thread (whose work):")
for role, c in by_role.most_common():
    kinds = ", ".join(f"{k.split(' (')[0]} {100.0 * matrix[(role, k)] / c:.0f}%"
                      for k, _ in by_kind.most_common() if matrix[(role, k)] * 20 >= c)
    print(f"  {pct(c)}  {role}  [{kinds}]")
print("\nby sampled frame (what kind of work):")
for kind, c in by_kind.most_common():
    print(f"  {pct(c)}  {kind}")
print("\ntop self-time methods:")
for m, c in top.most_common(12):
    print(f"  {pct(c)}  {m}")
