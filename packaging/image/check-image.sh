#!/usr/bin/env bash
# Runs the image's file system the way a container runtime would, where there is none (docs/operations.md,
# "Container image"): unpacks cli/target/hmb-image.tar's layers, starts `serve` in them with chroot as the image's
# user (10001) and environment, asks `./hmb health` from outside, stops it with SIGTERM and expects exit 0.
# It checks what the image holds (runtime, libraries, PostgreSQL starting as a non-root user), not namespaces or
# cgroups. Needs root (chroot, mounting /proc), GNU tar, and the built cli/target/hmb.jar for the health check.
set -euo pipefail
# With --if-root (as mvn verify calls it) it skips, saying so, where it is not root.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if_root=false
[ "${1:-}" = --if-root ] && { if_root=true; shift; }
image="${1:-$repo/cli/target/hmb-image.tar}"
if [ "$(id -u)" != 0 ]; then
  $if_root && { echo "check-image.sh: skipped, needs root (chroot); run it as root to check the image"; exit 0; }
  echo "check-image.sh: needs root (chroot)" >&2; exit 1
fi
work="$(mktemp -d -t hmb-image-check.XXXXXX)"
root="$work/root"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  umount "$root/proc" "$root/dev" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/oci" "$root"
tar -xf "$image" -C "$work/oci"
blob() { echo "$work/oci/blobs/sha256/${1#sha256:}"; }
manifest="$(blob "$(grep -o 'sha256:[0-9a-f]\{64\}' "$work/oci/index.json" | head -1)")"
for layer in $(sed 's/.*"layers"//' "$manifest" | grep -o 'sha256:[0-9a-f]\{64\}'); do
  tar -xf "$(blob "$layer")" -C "$root" --warning=no-unknown-keyword
done
mkdir -p "$root/proc" "$root/dev"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
port=$((20000 + RANDOM % 20000)); metrics=$((port + 1))
env -i PATH=/opt/java/bin:/bin JAVA_HOME=/opt/java HMB_DATA_DIR=/var/lib/hmb/data XDG_CACHE_HOME=/var/lib/hmb/cache \
  HMB_LISTEN_ADDRESS=0.0.0.0 HMB_METRICS_ADDRESS=0.0.0.0 HMB_PORT="$port" HMB_METRICS_PORT="$metrics" \
  "$(command -v chroot)" --userspec=10001:10001 "$root" /bin/sh -c 'cd /var/lib/hmb && exec java -cp @/app/jib-classpath-file io.hmb.cli.Hmb serve' \
  >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 120); do
  grep -q "gateway listening" "$work/serve.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "check-image.sh: serve died" >&2; exit 1; }
  sleep 1
done
java -jar "$repo/cli/target/hmb.jar" health --ca "$root/var/lib/hmb/data/tls/ca.crt" --target "localhost:$port"
if command -v curl >/dev/null; then
  curl -fsS "http://127.0.0.1:$metrics/metrics" | grep -q '^hikaricp_connections_active' && echo "metrics: served"
fi
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
pid=
grep -q "gateway stopped" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
echo "check-image.sh: $image ran serve as uid 10001 (embedded PostgreSQL, TLS, metrics), SERVING, stopped with exit $status"
[ "$status" = 0 ]
