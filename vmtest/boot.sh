#!/usr/bin/env bash
# Boots one kernel with the vmtest initramfs under QEMU (TCG: KVM hangs on
# the machines this runs on) and waits for the guest to power off.  The
# serial console goes to CONSOLE and, prefixed, to stdout; the guest's
# second serial port (the results) goes to RESULTS.  ARGS reach the test
# binary in the guest (after `--` on the kernel command line).
#
#   boot.sh VMLINUZ INITRD RESULTS CONSOLE TIMEOUT PREFIX [ARG...]
#
# Exit status: QEMU's, or 124 when the guest was still running after
# TIMEOUT seconds.
set -euo pipefail

die() { echo "vmtest: $*" >&2; exit 2; }

[ $# -ge 6 ] || die "usage: $0 VMLINUZ INITRD RESULTS CONSOLE TIMEOUT PREFIX [ARG...]"
vmlinuz=$1 initrd=$2 results=$3 console=$4 limit=$5 prefix=$6
shift 6
[ -f "$vmlinuz" ] || die "no kernel at $vmlinuz"
[ -f "$initrd" ] || die "no initramfs at $initrd"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (make deps installs qemu-system-x86)"

append="console=ttyS0 panic=-1 lsm=lockdown,capability,landlock,bpf quiet"
if [ $# -gt 0 ]; then
	for arg in "$@"; do
		case "$arg" in
		*[[:space:]\"\']*) die "a test argument cannot hold blanks or quotes (kernel command line): $arg" ;;
		esac
	done
	append="$append -- $*"
fi

rm -f "$results" "$console"
mkdir -p "$(dirname "$results")" "$(dirname "$console")"
: >"$results"

# Two vCPUs on one TCG thread: with one host thread per vCPU, a vCPU now
# and then ran a stale translation of kernel text the kernel was patching
# through int3 (static keys switched as tracepoints attach) and the guest
# died of "Oops: int3" in __schedule or kernel_clone (6.12, twice).  One
# thread sees every write to code at once.
set +e
timeout --kill-after=10 "$limit" \
	qemu-system-x86_64 -accel tcg,thread=single -cpu max -m 2048 -smp 2 -nographic -nic none -no-reboot \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
	-serial mon:stdio -serial "file:$results" </dev/null 2>&1 |
	tee "$console" |
	sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' -e 's/\r$//' |
	awk -v prefix="$prefix" '{ print prefix $0; fflush() }'
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
