#!/bin/sh
# Downloads the newest `linux` source package Debian's archive serves
# (trixie, trixie-security and sid) into DIR (default
# /var/cache/tdxabi/linux-source), through apt with lists of its own: the
# machine's sources are left alone. The test suite checks that kernel's TDX
# stubs when it finds the tarball there. Usage: fetch-newest-linux-source.sh [DIR]
set -eu
target="${1:-/var/cache/tdxabi/linux-source}"
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$target"
cat >"$state/sources.list" <<SOURCES
deb-src http://deb.debian.org/debian trixie main
deb-src http://deb.debian.org/debian-security trixie-security main
deb-src http://deb.debian.org/debian sid main
SOURCES
apt_options="-o Dir::Etc::SourceList=$state/sources.list -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists=$state/lists -o Dir::Cache=$state/cache -o APT::Sandbox::User=root -q"
# shellcheck disable=SC2086
apt-get $apt_options update >"$state/update.log" 2>&1 || {
	echo "fetch-newest-linux-source: apt-get update of the deb-src lists failed:" >&2
	tail -3 "$state/update.log" >&2
	exit 1
}
# shellcheck disable=SC2086
versions="$(apt-cache $apt_options showsrc linux | sed -n 's/^Version: //p' | sort -uVr)"
[ -n "$versions" ] || { echo "fetch-newest-linux-source: the archive lists no linux source" >&2; exit 1; }
# A mirror can list a version it no longer holds: take the newest one it serves.
tried=0
for version in $versions; do
	[ "$tried" -lt 12 ] || break
	tried=$((tried + 1))
	upstream="${version%-*}"
	if [ -f "$target/linux_${upstream}.orig.tar.xz" ]; then
		echo "fetch-newest-linux-source: linux $version is already in $target"
		exit 0
	fi
	work="$state/download"
	rm -rf "$work" && mkdir -p "$work"
	# shellcheck disable=SC2086
	if (cd "$work" && apt-get $apt_options source --download-only "linux=$version" >"$state/source.log" 2>&1); then
		# Debian's patches are not applied: say so when one touches a TDX file
		if tar -xJOf "$work"/linux_*.debian.tar.xz --wildcards 'debian/patches/*' 2>/dev/null |
			grep -qE '^\+\+\+ .*(arch/x86/(virt/vmx/tdx|coco/tdx|include/asm/(tdx|shared/))|asm-offsets)'; then
			echo "fetch-newest-linux-source: note: a Debian patch of $version touches a TDX file; the tarball is upstream's" >&2
		fi
		rm -f "$target"/linux_*.orig.tar.xz
		mv "$work/linux_${upstream}.orig.tar.xz" "$target/"
		echo "fetch-newest-linux-source: linux $version (newest served) in $target/linux_${upstream}.orig.tar.xz"
		exit 0
	fi
	echo "fetch-newest-linux-source: linux $version is listed but not served; trying the one before"
done
echo "fetch-newest-linux-source: none of the newest $tried listed linux versions could be downloaded" >&2
exit 1
