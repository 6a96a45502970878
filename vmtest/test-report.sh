#!/usr/bin/env bash
# Tests vmtest/report.sh on made-up results files: skips declared or not,
# declarations that no longer skip, filtered runs, failures, a guest that
# never finished, and malformed expected-skips files.  No VM involved.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

printf '%s\n' '# test kernels' 'k1  ^pkg-one$' 'k2  ^pkg-two$' >"$tmp/kernels"

# results FILE [TAP LINE...]: a results file as vmtest/init writes it
results() {
	local file=$1
	shift
	{
		echo "RTENF_VMTEST_KERNEL 9.9.9-test"
		echo "RTENF_VMTEST_LSM lockdown,capability,landlock,bpf"
		echo "RTENF_VMTEST_SECONDS 3"
		echo "RTENF_VMTEST_AGENT ok 2"
		echo "TAP version 13"
		echo "1..$(printf '%s\n' "$@" | grep -c '^\(not \)\?ok - ')"
		echo "# Criterion v2.4.1"
		printf '%s\n' "$@"
		echo "RTENF_VMTEST_EXIT 0"
		echo "RTENF_VMTEST_RESULT pass"
	} | sed 's/$/\r/' >"$file" # the serial port adds CRs
}

# check NAME WANT_STATUS WANT_TEXT [--filtered] KERNEL RESULTS SKIPS
check() {
	local name=$1 want=$2 text=$3 got=0 out
	shift 3
	out=$("$here/report.sh" "$@" "$tmp/kernels" 2>&1) || got=$?
	if [ "$got" -eq "$want" ] && grep -qF -- "$text" <<<"$out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: want exit $want and \"$text\", got exit $got:"
		sed 's/^/    /' <<<"$out"
	fi
}

skips() { printf '%s\n' '# header' "$@" >"$tmp/skips"; }

ok_a='ok - s::a  (0.50s)'
ok_b='ok - s::b  (2.25s)'
skip_b='ok - s::b  # SKIP no kprobes on this kernel'
unselected_b='ok - s::b  # SKIP test was skipped'

results "$tmp/all-pass" "$ok_a" "$ok_b"
skips
check all-pass 0 "k1     9.9.9-test: 2 passed, 0 failed, 0 skipped  PASS" k1 "$tmp/all-pass" "$tmp/skips"
check slowest-first 0 "slowest: s/b 2.25s, s/a 0.50s" k1 "$tmp/all-pass" "$tmp/skips"

results "$tmp/skip" "$ok_a" "$skip_b"
check undeclared-skip 1 "undeclared skip: s/b: no kprobes on this kernel" k1 "$tmp/skip" "$tmp/skips"
skips 'k1  s/b  k1 has no kprobes'
check declared-skip 0 "skip  s/b: no kprobes on this kernel (declared: k1 has no kprobes)" k1 "$tmp/skip" "$tmp/skips"
check declared-skip-counts 0 "1 passed, 0 failed, 1 skipped  PASS" k1 "$tmp/skip" "$tmp/skips"
check other-kernel-undeclared 1 "undeclared skip: s/b" k2 "$tmp/skip" "$tmp/skips"
skips '*  s/b  no kernel here has kprobes'
check any-kernel-declared 0 "(declared: no kernel here has kprobes)" k2 "$tmp/skip" "$tmp/skips"

skips 'k1  s/b  k1 has no kprobes'
check declared-but-passed 1 "skips:2: s/b is declared to skip on k1 but it ran (passed): delete the line" \
	k1 "$tmp/all-pass" "$tmp/skips"
check declared-for-other-kernel 0 "PASS" k2 "$tmp/all-pass" "$tmp/skips"
skips 'k1  s/gone  renamed since'
check declared-missing 1 "s/gone is declared to skip on k1 but no such test ran" k1 "$tmp/all-pass" "$tmp/skips"

results "$tmp/filtered" "$ok_a" "$unselected_b"
skips 'k1  s/b  k1 has no kprobes'
check filtered 0 "1 passed, 0 failed, 0 skipped  PASS" --filtered k1 "$tmp/filtered" "$tmp/skips"
check unfiltered-default-skip 1 "undeclared skip: s/b: test was skipped" k2 "$tmp/filtered" "$tmp/skips"

results "$tmp/fail" "$ok_a" 'not ok - s::b  (1.00s)' '  ---' '  assertions: 2' '  failures:' \
	'  - t.c:5: |+' '      Assertion failed: one is not two' '  ...' 'not ok - s::c timed out (120.00s)'
skips
check failure 1 "FAIL  s/b" k1 "$tmp/fail" "$tmp/skips"
check failure-message 1 "Assertion failed: one is not two" k1 "$tmp/fail" "$tmp/skips"
check timeout 1 "FAIL  s/c: timed out" k1 "$tmp/fail" "$tmp/skips"
check failure-counts 1 "1 passed, 2 failed, 0 skipped  FAIL" k1 "$tmp/fail" "$tmp/skips"

head -n 7 "$tmp/all-pass" >"$tmp/unfinished"
check unfinished 1 "the guest did not finish" k1 "$tmp/unfinished" "$tmp/skips"
: >"$tmp/empty"
check empty 1 "the guest did not finish" k1 "$tmp/empty" "$tmp/skips"
sed 's/^1\.\.2/1..3/' "$tmp/all-pass" >"$tmp/short"
check short 1 "criterion planned 3 tests but reported 2" k1 "$tmp/short" "$tmp/skips"
sed 's/^RTENF_VMTEST_EXIT 0/RTENF_VMTEST_EXIT 139/' "$tmp/all-pass" >"$tmp/crashed"
check crashed 1 "the test binary exited 139" k1 "$tmp/crashed" "$tmp/skips"

check agent-ok 0 "the agent started in 2 s (all base BPF programs loaded)" k1 "$tmp/all-pass" "$tmp/skips"
{
	printf '%s\n' 'RTENF_VMTEST_KERNEL 9.9.9-test' 'RTENF_VMTEST_LSM lockdown,bpf' 'RTENF_VMTEST_AGENT fail 41' \
		'RTENF_VMTEST_AGENT_LOG rtenf: error: loading the base sensor failed: Argument list too long' \
		'RTENF_VMTEST_AGENT_LOG BPF program is too large. Processed 1000001 insn' \
		'# no TAP report was written' 'RTENF_VMTEST_EXIT 1' 'RTENF_VMTEST_RESULT fail'
} >"$tmp/no-agent"
check no-agent 1 "the agent did not start on this kernel (gave up after 41 s), so no test ran" \
	k1 "$tmp/no-agent" "$tmp/skips"
check no-agent-log 1 "          BPF program is too large. Processed 1000001 insn" k1 "$tmp/no-agent" "$tmp/skips"

sed 's/^RTENF_VMTEST_LSM .*/RTENF_VMTEST_LSM lockdown,capability,landlock/' "$tmp/all-pass" >"$tmp/no-bpf-lsm"
check no-bpf-lsm 1 "BPF LSM is not active in the guest (lsm: lockdown,capability,landlock)" k1 "$tmp/no-bpf-lsm" "$tmp/skips"

skips 'k1  s/b'
check no-reason 2 "skips:2: want KERNEL SUITE/TEST REASON" k1 "$tmp/all-pass" "$tmp/skips"
skips 'k9  s/b  k9 is not a kernel of the list'
check unknown-kernel 2 "skips:2: unknown kernel k9" k1 "$tmp/all-pass" "$tmp/skips"
skips 'k1  s::b  wrong separator'
check bad-name 2 "want SUITE/TEST, got s::b" k1 "$tmp/all-pass" "$tmp/skips"

echo "vmtest report self-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
