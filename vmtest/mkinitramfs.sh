#!/usr/bin/env bash
# Builds the vmtest initramfs: busybox, /init, the given files with the
# shared libraries they load (as ldd reports them, plus the dynamic loader),
# and the given directories, into one gzip-compressed cpio archive.
#
#   mkinitramfs.sh -o OUT -i INIT [-f DEST=SRC]... [-d DEST=SRCDIR]... [-t TOOL]...
#
#   -f DEST=SRC     a file (executable or not), installed at DEST in the image
#   -d DEST=SRCDIR  a directory tree, copied to DEST
#   -t TOOL         a command of this machine (command -v), installed in /usr/bin
set -euo pipefail

die() { echo "mkinitramfs: $*" >&2; exit 1; }

out= init=
files=() dirs=() tools=()
while getopts 'o:i:f:d:t:' opt; do
	case "$opt" in
	o) out=$OPTARG ;;
	i) init=$OPTARG ;;
	f) files+=("$OPTARG") ;;
	d) dirs+=("$OPTARG") ;;
	t) tools+=("$OPTARG") ;;
	*) die "usage: $0 -o OUT -i INIT [-f DEST=SRC]... [-d DEST=SRCDIR]... [-t TOOL]..." ;;
	esac
done
[ -n "$out" ] && [ -n "$init" ] || die "-o OUT and -i INIT are required"
[ -f "$init" ] || die "no init script at $init"
for c in cpio gzip ldd; do
	command -v "$c" >/dev/null || die "$c is missing (make deps installs it)"
done

stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Copies a file to the same or a given path in the image, dereferencing
# symlinks (the loader looks libraries up by their soname path).
put() {
	local src=$1 dest=$2
	mkdir -p "$stage$(dirname "$dest")"
	cp -L "$src" "$stage$dest"
}

# The shared libraries and the loader a dynamic executable needs, one path
# a line; nothing for a static one.
libs_of() {
	local out
	if ! out=$(LC_ALL=C ldd "$1" 2>&1); then
		case "$out" in
		*"not a dynamic executable"*) return 0 ;;
		*) die "ldd $1 failed: $out" ;;
		esac
	fi
	case "$out" in *"not found"*) die "$1 needs a library that is not installed:"$'\n'"$out" ;; esac
	# "libx.so.1 => /lib/.../libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$out"
}

install_exe() {
	local src=$1 dest=$2 lib
	[ -f "$src" ] || die "no file at $src"
	put "$src" "$dest"
	while read -r lib; do
		[ -n "$lib" ] && [ ! -e "$stage$lib" ] && put "$lib" "$lib"
	done < <(libs_of "$src")
	return 0
}

busybox=$(command -v busybox) || die "busybox is missing (make deps installs busybox-static)"
install_exe "$busybox" /bin/busybox
put "$init" /init
chmod 0755 "$stage/init"

for spec in "${files[@]}"; do
	[[ "$spec" == /*=* ]] || die "-f wants DEST=SRC with an absolute DEST, got: $spec"
	install_exe "${spec#*=}" "${spec%%=*}"
done
for spec in "${dirs[@]}"; do
	[[ "$spec" == /*=* ]] || die "-d wants DEST=SRCDIR with an absolute DEST, got: $spec"
	src=${spec#*=} dest=${spec%%=*}
	[ -d "$src" ] || die "no directory at $src"
	mkdir -p "$stage$dest"
	cp -RL "$src/." "$stage$dest/"
done
for tool in "${tools[@]}"; do
	path=$(command -v "$tool") || die "$tool is missing (make deps installs it)"
	install_exe "$path" "/usr/bin/$tool"
done

# glibc dlopen()s libgcc_s for pthread_cancel() and backtraces; ldd cannot
# see that, so it comes along from libc's directory whenever libc does.
while read -r libc; do
	gcc_s=${libc#"$stage"}
	gcc_s=${gcc_s%/*}/libgcc_s.so.1
	if [ -e "$gcc_s" ] && [ ! -e "$stage$gcc_s" ]; then
		put "$gcc_s" "$gcc_s"
	fi
done < <(find "$stage" -name libc.so.6)

mkdir -p "$stage/etc"
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"

# Deterministic order and owners; the kernel unpacks newc archives.
(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -1 -n >"$out.tmp"
mv "$out.tmp" "$out"
