#!/usr/bin/env bash
# `make vmtest`: for each kernel of vmtest/kernels (or of -k), fetches it,
# boots it with the initramfs, judges its results against
# vmtest/expected-skips, and ends with a summary.  Exits non-zero when any
# kernel failed.
#
#   run.sh -i INITRD [-k "NAME..."] [-f FILTER] [-o OUTDIR] [-c CACHE] [-t SECONDS]
#
#   -k  kernels to run, by name, blank- or comma-separated (default: all)
#   -f  a criterion --filter for the tests in the guest (e.g. 'enforce/*')
#   -o  where each kernel's console.log and results.txt go (build/vmtest/run)
#   -c  the download cache (build/vmtest/cache)
#   -t  time limit per kernel, boot to power-off (1800 s)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "vmtest: $*" >&2; exit 2; }

initrd= only= filter= out=build/vmtest/run cache=build/vmtest/cache limit=1800
while getopts 'i:k:f:o:c:t:' opt; do
	case "$opt" in
	i) initrd=$OPTARG ;;
	k) only=$OPTARG ;;
	f) filter=$OPTARG ;;
	o) out=$OPTARG ;;
	c) cache=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) die "usage: $0 -i INITRD [-k NAMES] [-f FILTER] [-o OUTDIR] [-c CACHE] [-t SECONDS]" ;;
	esac
done
[ -n "$initrd" ] || die "-i INITRD is required"
[ -f "$initrd" ] || die "no initramfs at $initrd"
[[ "$limit" =~ ^[0-9]+$ ]] || die "-t wants seconds, got $limit"

kernels_file=$here/kernels
skips_file=$here/expected-skips
# paths in messages are the repository's, not this machine's
rel() { echo "vmtest/$(basename "$1")"; }

declare -A patterns
order=()
while read -r name pattern rest; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	[ -n "$pattern" ] && [ -z "$rest" ] || die "$(rel "$kernels_file"): want NAME PATTERN, got: $name $pattern $rest"
	patterns[$name]=$pattern
	order+=("$name")
done <"$kernels_file"

selected=()
if [ -n "$only" ]; then
	for name in ${only//,/ }; do
		[ -n "${patterns[$name]:-}" ] || die "unknown kernel $name (vmtest/kernels has: ${order[*]})"
		selected+=("$name")
	done
else
	selected=("${order[@]}")
fi
[ ${#selected[@]} -gt 0 ] || die "no kernel to run"

args=(--color=never)
report_opts=()
if [ -n "$filter" ]; then
	args+=(--filter "$filter")
	report_opts+=(--filtered)
fi

summary=() failed_kernels=() total_pass=0 total_fail=0 total_skip=0
for name in "${selected[@]}"; do
	echo "vmtest: kernel $name"
	t0=$(date +%s)
	if ! kdir=$("$here/fetch-kernel.sh" "$name" "${patterns[$name]}" "$cache"); then
		summary+=("$(printf '%-6s could not be fetched  FAIL' "$name")")
		failed_kernels+=("$name")
		total_fail=$((total_fail + 1))
		continue
	fi
	t1=$(date +%s)
	dir=$out/$name
	for attempt in 1 2; do
		set +e
		"$here/boot.sh" "$kdir/vmlinuz" "$initrd" "$dir/results.txt" "$dir/console.log" "$limit" "  $name| " \
			"${args[@]}"
		qemu_rc=$?
		set -e
		# Multi-threaded TCG now and then runs a stale translation of kernel
		# text that the kernel is patching through int3 (static keys turned
		# on as tracepoints attach): the guest dies of "Oops: int3" in code
		# rtenf never touches.  That one emulator race gets one more boot;
		# any other crash is reported as it is.
		if [ "$attempt" = 1 ] && ! grep -q '^RTENF_VMTEST_RESULT' "$dir/results.txt" 2>/dev/null &&
			grep -q 'Oops: int3' "$dir/console.log" 2>/dev/null; then
			echo "vmtest: $name: the guest died of QEMU's int3 text-patching race (Oops: int3 in $dir/console.first-boot.log); booting it once more"
			cp "$dir/console.log" "$dir/console.first-boot.log"
			continue
		fi
		break
	done
	t2=$(date +%s)
	case "$qemu_rc" in
	0) ;;
	124) echo "vmtest: $name: the guest was still running after $limit s; stopped it" ;;
	*) echo "vmtest: $name: QEMU exited $qemu_rc" ;;
	esac

	set +e
	report=$("$here/report.sh" "${report_opts[@]}" "$name" "$dir/results.txt" "$skips_file" "$kernels_file" 2>&1)
	report_rc=$?
	set -e
	report=${report//$skips_file/$(rel "$skips_file")}
	echo "$report"
	line=$(head -n 1 <<<"$report")
	if [[ "$line" =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
		total_skip=$((total_skip + BASH_REMATCH[3]))
	fi
	if [ "$report_rc" -ne 0 ] || [ "$qemu_rc" -ne 0 ]; then
		failed_kernels+=("$name")
		[ "$report_rc" -ne 0 ] || line="$line (but QEMU exited $qemu_rc)"
		[[ "$line" == *FAIL* ]] || line="$line  FAIL"
		# a kernel that failed without a failing test still counts as one failure
		[[ "$line" =~ \ 0\ failed ]] && total_fail=$((total_fail + 1))
		echo "vmtest: $name: console: $dir/console.log (last lines below)"
		sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r$//' "$dir/console.log" | tail -n 15 | sed 's/^/  | /'
	fi
	summary+=("$line  (fetch $((t1 - t0)) s, boot and tests $((t2 - t1)) s)")
done

echo
echo "vmtest summary ($(rel "$skips_file") checked):"
printf '  %s\n' "${summary[@]}"
echo "vmtest: $total_pass passed, $total_fail failed, $total_skip skipped"
if [ ${#failed_kernels[@]} -gt 0 ]; then
	echo "vmtest: FAILED on ${failed_kernels[*]}" >&2
	exit 1
fi
