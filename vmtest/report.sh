#!/usr/bin/env bash
# Judges one kernel's results file (written by vmtest/init on the guest's
# second serial port) against vmtest/expected-skips, and prints one summary
# line, then the failures, the skips and the slowest tests.
#
#   report.sh [--filtered] KERNEL RESULTS EXPECTED_SKIPS KERNELS_LIST
#
# --filtered: the run had a criterion --filter; tests it left out (criterion
# reports them as skipped, "test was skipped") are not counted.
# Exit status: 0 when the kernel passed, 1 when it did not, 2 on bad input.
set -euo pipefail

die() { echo "vmtest: $*" >&2; exit 2; }

filtered=0
if [ "${1:-}" = --filtered ]; then
	filtered=1
	shift
fi
[ $# -eq 4 ] || die "usage: $0 [--filtered] KERNEL RESULTS EXPECTED_SKIPS KERNELS_LIST"
kernel=$1 results=$2 skips=$3 kernels=$4
[ -f "$results" ] || die "no results file at $results"
[ -f "$skips" ] || die "no expected-skips file at $skips"
[ -f "$kernels" ] || die "no kernel list at $kernels"

# --- the declared skips for this kernel: "TEST<TAB>LINE<TAB>REASON" -------------
known=$(awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$kernels")
declared=$(awk -v kernel="$kernel" -v known="$known" -v file="$skips" '
	BEGIN { n = split(known, k, /[[:space:]]+/); for (i = 1; i <= n; i++) ok[k[i]] = 1; ok["*"] = 1 }
	/^[[:space:]]*(#|$)/ { next }
	{
		if (NF < 3) { printf "%s:%d: want KERNEL SUITE/TEST REASON...\n", file, FNR > "/dev/stderr"; bad = 1; next }
		if (!($1 in ok)) { printf "%s:%d: unknown kernel %s\n", file, FNR, $1 > "/dev/stderr"; bad = 1; next }
		if ($2 !~ /^[^\/]+\/[^\/]+$/) { printf "%s:%d: want SUITE/TEST, got %s\n", file, FNR, $2 > "/dev/stderr"; bad = 1; next }
		if ($1 != kernel && $1 != "*") next
		reason = $0
		sub(/^[[:space:]]*[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+/, "", reason)
		printf "%s\t%d\t%s\n", $2, FNR, reason
	}
	END { exit bad }' "$skips") || die "$skips is malformed"

# --- the TAP report: "STATUS<TAB>SUITE/TEST<TAB>SECONDS<TAB>TEXT" ----------------
# STATUS is pass, fail, skip or notrun; an empty field is "-" (bash's read
# would merge two tabs); fail records are followed by "detail<TAB>LINE"
# records holding the failure messages.
records=$(tr -d '\r' <"$results" | awk -v filtered="$filtered" '
	function name(s) { sub(/^(not )?ok - /, "", s); sub(/[[:space:]].*/, "", s); sub(/::/, "/", s); return s }
	function secs(s) { if (match(s, /\(([0-9.]+)s\)$/)) return substr(s, RSTART + 1, RLENGTH - 3); return "-" }
	function orbar(s) { return s == "" ? "-" : s }
	/^ok - / {
		infail = 0
		if (match($0, /  # SKIP /)) {
			reason = substr($0, RSTART + RLENGTH)
			if (filtered && reason == "test was skipped") print "notrun\t" name($0) "\t-\t-"
			else print "skip\t" name($0) "\t-\t" orbar(reason)
		} else {
			print "pass\t" name($0) "\t" secs($0) "\t-"
		}
		next
	}
	/^not ok - / {
		infail = 1
		text = $0
		sub(/^not ok - [^[:space:]]+[[:space:]]*/, "", text)
		sub(/[[:space:]]*\([0-9.]+s\)$/, "", text)
		print "fail\t" name($0) "\t" secs($0) "\t" orbar(text)
		next
	}
	infail && /^  / {
		line = $0
		sub(/^  +/, "", line)
		if (line ~ /^(---|\.\.\.|assertions: [0-9]+|failures:)$/) next
		sub(/^- /, "", line)
		sub(/: \|\+$/, ":", line)
		print "detail\t" line
		next
	}
	{ infail = 0 }')

field() { sed -n "s/^$1 //p" "$results" | tr -d '\r' | tail -n 1; }
version=$(field RTENF_VMTEST_KERNEL)
verdict=$(field RTENF_VMTEST_RESULT)
exitcode=$(field RTENF_VMTEST_EXIT)
lsm=$(field RTENF_VMTEST_LSM)
agent=$(field RTENF_VMTEST_AGENT) # "ok|fail SECONDS": one agent started alone first
plan=$(tr -d '\r' <"$results" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -n 1)

count() { awk -F'\t' -v s="$1" '$1 == s' <<<"$records" | wc -l; }
passed=$(count pass) failed=$(count fail) skipped=$(count skip) notrun=$(count notrun)
problems=()

[ -n "$verdict" ] || problems+=("the guest did not finish the test run (no RTENF_VMTEST_RESULT line)")
if [ -n "$plan" ] && [ $((passed + failed + skipped + notrun)) -lt "$plan" ]; then
	problems+=("criterion planned $plan tests but reported $((passed + failed + skipped + notrun))")
fi
if [ -n "$exitcode" ] && [ "$exitcode" != 0 ] && [ "$failed" -eq 0 ]; then
	problems+=("the test binary exited $exitcode")
fi
if [ "${agent%% *}" = fail ]; then
	problems+=("the agent did not start on this kernel (gave up after ${agent#* } s), so no test ran; its log:")
	while IFS= read -r line; do
		problems[${#problems[@]} - 1]+=$'\n'"          $line"
	done < <(sed -n 's/^RTENF_VMTEST_AGENT_LOG //p' "$results" | tr -d '\r' | head -n 200)
elif [ $((passed + failed + skipped)) -eq 0 ] && [ -n "$verdict" ]; then
	problems+=("no test ran")
fi
# the guest boots with lsm=...,bpf: BPF LSM programs must be testable there
if [ -n "$verdict" ] && [[ ",$lsm," != *,bpf,* ]]; then
	problems+=("BPF LSM is not active in the guest (lsm: ${lsm:-unknown})")
fi

# every skip must be declared; every declaration must still skip
declare -A decl_line decl_reason seen
while IFS=$'\t' read -r test line reason; do
	[ -n "$test" ] || continue
	decl_line[$test]=$line
	decl_reason[$test]=$reason
done <<<"$declared"
skip_lines=()
while IFS=$'\t' read -r status test _ text; do
	case "$status" in pass | fail | skip) seen[$test]=$status ;; *) continue ;; esac
	[ "$status" = skip ] || continue
	if [ -n "${decl_line[$test]:-}" ]; then
		skip_lines+=("  skip  $test: $text (declared: ${decl_reason[$test]})")
	else
		problems+=("undeclared skip: $test: $text (declare it in $skips with a reason, or fix it)")
	fi
done <<<"$records"
for test in "${!decl_line[@]}"; do
	case "${seen[$test]:-}" in
	skip) ;;
	pass | fail) problems+=("$skips:${decl_line[$test]}: $test is declared to skip on $kernel but it ran (${seen[$test]}ed): delete the line") ;;
	*) [ "$filtered" = 1 ] || [ -z "$verdict" ] ||
		problems+=("$skips:${decl_line[$test]}: $test is declared to skip on $kernel but no such test ran") ;;
	esac
done

status=PASS
if [ "$failed" -gt 0 ] || [ ${#problems[@]} -gt 0 ]; then
	status=FAIL
fi
printf '%-6s %s: %d passed, %d failed, %d skipped  %s\n' "$kernel" "${version:-?}" \
	"$passed" "$failed" "$skipped" "$status"
[ "${agent%% *}" != ok ] || echo "  the agent started in ${agent#* } s (all base BPF programs loaded)"

awk -F'\t' '
	$1 == "fail" { printf "  FAIL  %s%s\n", $2, ($4 != "-" ? ": " $4 : ""); infail = 1; next }
	$1 == "detail" && infail { printf "          %s\n", $2; next }
	{ infail = 0 }' <<<"$records"
for p in "${problems[@]}"; do
	echo "  FAIL  $p"
done
for s in "${skip_lines[@]}"; do
	echo "$s"
done
# informational: a failure here must not fail the kernel, and nothing in
# the pipeline exits early (an early reader's exit is SIGPIPE under pipefail)
slowest=$(awk -F'\t' '($1 == "pass" || $1 == "fail") && $3 != "-" { print $3 "\t" $2 }' <<<"$records" |
	sort -rn | awk -F'\t' 'NR <= 3 { printf "%s%s %ss", (NR > 1 ? ", " : ""), $2, $1 }') || slowest=""
[ -z "$slowest" ] || echo "  slowest: $slowest"

[ "$status" = PASS ]
