#!/usr/bin/env bash
# Resolves a kernel of vmtest/kernels to the newest Debian package apt
# offers, downloads it once into CACHE/debs/ and extracts its vmlinuz and
# config into CACHE/kernels/NAME/.  Prints that directory.
#
#   fetch-kernel.sh NAME PATTERN CACHE
#
# Offline (apt knows no match even after apt-get update), the kernel
# extracted last time is used, with a warning.
set -euo pipefail

die() { echo "vmtest: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: $0 NAME PATTERN CACHE"
name=$1 pattern=$2 cache=$3
kdir=$cache/kernels/$name
debs=$cache/debs

newest() {
	apt-cache search --names-only "$pattern" 2>/dev/null | awk '{ print $1 }' | sort -V | tail -n 1
}

pkg=$(newest)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	echo "vmtest: apt knows no package matching $pattern; running apt-get update" >&2
	apt-get update -qq >&2 || true
	pkg=$(newest)
fi
if [ -z "$pkg" ]; then
	if [ -f "$kdir/vmlinuz" ]; then
		echo "vmtest: warning: apt knows no package matching $pattern; using the cached $(cat "$kdir/package")" >&2
		echo "$kdir"
		exit 0
	fi
	die "kernel $name: no Debian package matches $pattern (try apt-get update)"
fi

version=$(apt-cache show --no-all-versions "$pkg" | awk '/^Version:/ { print $2; exit }')
[ -n "$version" ] || die "kernel $name: apt-cache show $pkg gave no version"
# apt-get download's file name: an epoch's ':' is written %3a
deb=$debs/${pkg}_${version//:/%3a}_amd64.deb

if [ ! -f "$deb" ]; then
	mkdir -p "$debs"
	echo "vmtest: downloading $pkg $version" >&2
	(cd "$debs" && apt-get download -q=2 "$pkg=$version" 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
	[ -f "$deb" ] || die "kernel $name: apt-get download $pkg=$version did not write $deb"
	# one package per kernel of the list stays in the cache
	for old in "$debs"/*.deb; do
		[ "$old" != "$deb" ] || continue
		if [[ "$(basename "$old" | cut -d_ -f1)" =~ $pattern ]]; then
			rm -f "$old"
		fi
	done
fi

if [ ! -f "$kdir/vmlinuz" ] || [ "$(cat "$kdir/package" 2>/dev/null)" != "$pkg $version" ]; then
	tmp=$(mktemp -d "$cache/extract.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb -x "$deb" "$tmp"
	vmlinuz=$(find "$tmp/boot" -name 'vmlinuz-*' | head -n 1)
	[ -n "$vmlinuz" ] || die "kernel $name: $deb has no boot/vmlinuz-*"
	rm -rf "$kdir"
	mkdir -p "$kdir"
	mv "$vmlinuz" "$kdir/vmlinuz"
	find "$tmp/boot" -name 'config-*' -exec mv {} "$kdir/config" \;
	echo "$pkg $version" >"$kdir/package"
fi
echo "$kdir"
