// SPDX-License-Identifier: GPL-2.0-only
/* rtenf probe: text and JSON rendered from fixed probe answers, and the
 * verb's command line. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "json_check.h"
#include "kernel_profiles.h"
#include "mechanism_plan.h"
#include "util.h"

static char *render(enum kernel_profile p, bool json)
{
	struct strbuf out = {0};
	struct probe_report r;

	profile_report(p, &r);
	if (json)
		probe_format_json(&out, &r);
	else
		probe_format_text(&out, &r);
	probe_report_free(&r);
	return sb_steal(&out);
}

/* The text from the line starting with start up to (not including) the
 * line starting with end, or to the end; asserts start is there. */
static char *section(const char *text, const char *start, const char *end)
{
	const char *a = strstr(text, start), *b;

	cr_assert_not_null(a, "no \"%s\" in:\n%s", start, text);
	b = end ? strstr(a, end) : NULL;
	return xstrndup(a, b ? (size_t)(b - a) : strlen(a));
}

/* The whole row of the FEATURES section that starts with "name ". */
static char *feature_line(const char *text, const char *name)
{
	char *key = xasprintf("\n%s ", name), *line;
	const char *a = strstr(text, "\nFEATURES\n");

	cr_assert_not_null(a, "no FEATURES section in:\n%s", text);
	a = strstr(a, key);

	cr_assert_not_null(a, "no line for %s in:\n%s", name, text);
	a++;
	line = xstrndup(a, strcspn(a, "\n"));
	free(key);
	return line;
}

static void assert_json(const char *s)
{
	char err[256];

	cr_assert(json_check(s, strlen(s), err, sizeof(err)), "%s in: %s", err, s);
	cr_assert_neq(json_check_jq(s), 0, "jq rejects: %s", s);
	cr_assert_eq(count_lines(s), 1, "not one line: %s", s);
}

Test(cli_probe, text_kernel_section)
{
	char *text = render(PROFILE_HOST, false), *kernel = section(text, "KERNEL\n", "\nFEATURES\n");

	cr_assert_str_eq(kernel, "KERNEL\n"
				 "release           6.18.0-test\n"
				 "btf               yes\n"
				 "lockdown          integrity\n"
				 "active lsms       lockdown,capability,landlock,bpf\n"
				 "bpf lsm           active (bpf is in the list)\n"
				 "unprivileged bpf  disabled (kernel.unprivileged_bpf_disabled=2)\n"
				 "bpf jit           on (net.core.bpf_jit_enable=1)\n"
				 "cgroup v2         /sys/fs/cgroup\n"
				 "privileges        privileged: every probe ran\n");
	free(kernel);
	free(text);
}

Test(cli_probe, text_feature_lines_say_use_or_error_and_remedy)
{
	char *text = render(PROFILE_HOST, false), *line;

	line = feature_line(text, "uprobe");
	cr_assert_str_eq(line, "uprobe                       yes  used for: uprobe hooks");
	free(line);
	line = feature_line(text, "kprobe");
	/* each fallback once, then what is left with nothing */
	cr_assert_str_eq(line, "kprobe                       no   (No such file or directory) — needs CONFIG_KPROBES=y "
			       "and CONFIG_KPROBE_EVENTS=y; rtenf falls back to syscall tracepoint for kprobe "
			       "hooks on syscalls, to cgroup socket programs for lsmhooks socket_connect/bind/sendmsg; "
			       "nothing is left for kprobe hooks on other kernel functions and lsmhooks");
	free(line);
	/* Two classes falling back to the same thing are named together. */
	line = feature_line(text, "fmod_ret");
	cr_assert_str_eq(line, "fmod_ret                     no   (Operation not permitted) — needs BPF trampolines and "
			       "CONFIG_SECURITY; rtenf falls back to cgroup socket programs for lsmhooks "
			       "socket_connect/bind/sendmsg and Override on connect/bind/sendmsg; nothing is left "
			       "for lsmhooks and Override");
	free(line);
	/* bpf is in the LSM list here: the boot parameter is not the fix. */
	line = feature_line(text, "lsm");
	cr_assert(strstr(line, "needs BPF trampolines: bpf is in the active LSM list"), "%s", line);
	cr_assert_null(strstr(line, "lsm= boot list"), "%s", line);
	free(line);
	/* A missing feature nothing depends on has no consequences. */
	line = feature_line(text, "fexit");
	cr_assert_str_eq(line, "fexit                        no   (Operation not permitted) — needs BPF trampolines");
	free(line);
	cr_assert_eq(count_lines(text), 1 + 9 + 2 + FEAT_COUNT + 2 + HOOK_CLASS_COUNT, "%s", text);
	free(text);
}

Test(cli_probe, text_mechanisms_on_the_host)
{
	char *text = render(PROFILE_HOST, false), *mech = section(text, "\nWHAT RTENF WILL DO", NULL);

	cr_assert_str_eq(mech, "\nWHAT RTENF WILL DO ON THIS KERNEL\n"
			       "tracepoint hooks                        tracepoint              tracepoint programs on the policy's tracepoints\n"
			       "kprobe hooks on syscalls                syscall tracepoint      the syscall's own tracepoints (syscalls/sys_enter_*, sys_exit_*) in place of kprobes\n"
			       "kprobe hooks on other kernel functions  none                    cannot hook kernel function security_file_open on this kernel: it needs kprobes (CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y) or BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, not blocked by lockdown); only syscalls have a tracepoint fallback\n"
			       "lsmhooks                                none                    cannot hook LSM hook file_open on this kernel: lsmhooks need CONFIG_BPF_LSM=y, BPF trampolines and `bpf` in the lsm= boot list; without it rtenf can use fmod_ret on security_file_open (BPF trampolines and CONFIG_SECURITY) or a kprobe on it (CONFIG_KPROBES=y)\n"
			       "lsmhooks socket_connect/bind/sendmsg    cgroup socket programs  cgroup connect, bind and sendmsg programs on the cgroup v2 root: they see only the address and deny with EPERM\n"
			       "Override                                none                    Override of security_file_open is not possible on this kernel: it needs bpf_override_return on an error-injectable function (CONFIG_BPF_KPROBE_OVERRIDE=y and CONFIG_FUNCTION_ERROR_INJECTION=y), fmod_ret on a security_* or error-injectable function (BPF trampolines and CONFIG_SECURITY), or BPF LSM (CONFIG_BPF_LSM=y, BPF trampolines and `bpf` in the lsm= boot list)\n"
			       "Override on connect/bind/sendmsg        cgroup socket programs  cgroup connect, bind and sendmsg programs on the cgroup v2 root: they see only the address and deny with EPERM\n"
			       "Sigkill and Signal                      bpf_send_signal         bpf_send_signal from the hook's program; the process dies before it returns to user space\n"
			       "uprobe hooks                            uprobe                  uprobes on the binaries' functions\n");
	free(mech);
	free(text);
}

Test(cli_probe, text_debian_6_1)
{
	char *text = render(PROFILE_DEB61, false), *line;

	line = feature_line(text, "kprobe_multi");
	cr_assert_str_eq(line, "kprobe_multi                 no   (Operation not supported) — needs CONFIG_FPROBE=y "
			       "(Linux 5.18 or later); rtenf falls back to kprobe for kprobe hooks on syscalls and "
			       "kprobe hooks on other kernel functions");
	free(line);
	/* The compiler tries bpf_override_return first on syscalls, fmod_ret
	 * stands in; security_* is not error-injectable, so Override there
	 * does not depend on it. */
	line = feature_line(text, "helper_override_return");
	cr_assert_str_eq(line, "helper_override_return       no   (Invalid argument) — needs CONFIG_BPF_KPROBE_OVERRIDE=y "
			       "and CONFIG_FUNCTION_ERROR_INJECTION=y; rtenf falls back to fmod_ret for Override on "
			       "connect/bind/sendmsg");
	free(line);
	cr_assert(strstr(text, "\nlsmhooks                                BPF LSM  "), "%s", text);
	cr_assert(strstr(text, "\nOverride                                fmod_ret  "), "%s", text);
	cr_assert(strstr(text, "\nkprobe hooks on syscalls                kprobe   "), "%s", text);
	cr_assert(strstr(text, "\nlockdown          none\n"), "%s", text);
	free(text);
}

Test(cli_probe, text_without_bpf_in_lsm_list_points_at_the_boot_parameter)
{
	char *text = render(PROFILE_NO_LSM, false), *line;

	cr_assert(strstr(text, "\nbpf lsm           inactive: add bpf to the lsm= boot parameter to enable it\n"),
		  "%s", text);
	line = feature_line(text, "lsm");
	cr_assert(strstr(line, "needs CONFIG_BPF_LSM=y, BPF trampolines and `bpf` in the lsm= boot list"), "%s", line);
	/* Override takes fmod_ret before BPF LSM, so only lsmhooks miss it */
	cr_assert(starts_with(strstr(line, "; rtenf"), "; rtenf falls back to fmod_ret for lsmhooks and lsmhooks "
						       "socket_connect/bind/sendmsg"),
		  "%s", line);
	free(line);
	free(text);
}

Test(cli_probe, text_observe_only_fallback_is_marked)
{
	char *text = render(PROFILE_OVERRIDE, false);

	cr_assert(strstr(text, "\nlsmhooks                                kprobe                        one kprobe per "
			       "function; observe and signal only, cannot deny\n"),
		  "%s", text);
	cr_assert(strstr(text, "\nOverride on connect/bind/sendmsg        kprobe + bpf_override_return  a kprobe that "
			       "fails the call with bpf_override_return (error-injectable functions only)\n"),
		  "%s", text);
	/* security_file_open is not on the error-injection list */
	cr_assert(strstr(text, "\nOverride                                none                          Override of "
			       "security_file_open is not possible on this kernel: it needs bpf_override_return on an "
			       "error-injectable function"),
		  "%s", text);
	free(text);
}

Test(cli_probe, text_unprivileged_says_unknown_not_no)
{
	char *text = render(PROFILE_UNPRIV, false), *line;

	cr_assert(strstr(text, "\nprivileges        not root: probes marked unknown need root (sudo rtenf probe)\n"),
		  "%s", text);
	cr_assert(strstr(text, "\nlockdown          unknown (securityfs is not mounted; run as root to mount it)\n"),
		  "%s", text);
	cr_assert(strstr(text, "\nactive lsms       unknown (securityfs is not mounted; run as root to mount it)\n"),
		  "%s", text);
	line = feature_line(text, "kprobe");
	cr_assert_str_eq(line, "kprobe                       unknown  (needs root) — used for: kprobe hooks on kernel functions");
	free(line);
	line = feature_line(text, "btf");
	cr_assert(starts_with(line, "btf                          yes      used for: "), "%s", line);
	free(line);
	cr_assert_null(strstr(text, " no  "), "%s", text);
	cr_assert(strstr(text, "\nuprobe hooks                            unknown  unknown until run as root: the "
			       "compiler's choice depends on uprobe\n"),
		  "%s", text);
	free(text);
}

Test(cli_probe, json_host)
{
	char *json = render(PROFILE_HOST, true);

	assert_json(json);
	cr_assert(starts_with(json, "{\"kernel\":{\"release\":\"6.18.0-test\",\"btf\":true,\"lockdown\":\"integrity\","
				    "\"lsm\":[\"lockdown\",\"capability\",\"landlock\",\"bpf\"],\"bpf_lsm_active\":true,"
				    "\"unprivileged_bpf_disabled\":2,\"bpf_jit_enable\":1,\"cgroup2_root\":\"/sys/fs/cgroup\"},"
				    "\"privileged\":true,\"features\":[{\"name\":\"btf\",\"supported\":true,"),
		  "%s", json);
	cr_assert(strstr(json, "{\"name\":\"kprobe\",\"supported\":false,\"attempt\":\"attach a kprobe to vfs_read\","
			       "\"used_for\":\"kprobe hooks on kernel functions\",\"error\":\"No such file or directory\","
			       "\"errno\":2,\"remedy\":\"CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y\"}"),
		  "%s", json);
	cr_assert(strstr(json, "{\"name\":\"uprobe\",\"supported\":true,\"attempt\":\"attach a uprobe to a function of "
			       "the rtenf binary\",\"used_for\":\"uprobe hooks\",\"error\":null,\"errno\":null,"
			       "\"remedy\":null}"),
		  "%s", json);
	cr_assert(strstr(json, ",\"mechanisms\":{\"tracepoint\":{\"mechanism\":\"tracepoint\",\"observe_only\":false,"
			       "\"detail\":\"tracepoint programs on the policy's tracepoints\"},"
			       "\"kprobe_syscall\":{\"mechanism\":\"syscall tracepoint\","),
		  "%s", json);
	cr_assert(strstr(json, "\"kprobe_function\":{\"mechanism\":\"none\","), "%s", json);
	cr_assert(strstr(json, "\"lsmhook\":{\"mechanism\":\"none\","), "%s", json);
	cr_assert(strstr(json, "\"lsmhook_socket\":{\"mechanism\":\"cgroup socket programs\","), "%s", json);
	cr_assert(strstr(json, "\"override\":{\"mechanism\":\"none\","), "%s", json);
	cr_assert(strstr(json, "\"override_socket\":{\"mechanism\":\"cgroup socket programs\","), "%s", json);
	cr_assert(strstr(json, "\"signal\":{\"mechanism\":\"bpf_send_signal\","), "%s", json);
	cr_assert(strstr(json, "\"uprobe\":{\"mechanism\":\"uprobe\",\"observe_only\":false,\"detail\":\"uprobes on "
			       "the binaries' functions\"}}}\n"),
		  "%s", json);
	free(json);
}

Test(cli_probe, json_debian_6_12)
{
	char *json = render(PROFILE_DEB612, true);

	assert_json(json);
	cr_assert(strstr(json, "\"kprobe_syscall\":{\"mechanism\":\"kprobe.multi\","), "%s", json);
	cr_assert(strstr(json, "\"lsmhook\":{\"mechanism\":\"BPF LSM\","), "%s", json);
	cr_assert(strstr(json, "\"override\":{\"mechanism\":\"fmod_ret\","), "%s", json);
	cr_assert(strstr(json, "{\"name\":\"kprobe_multi\",\"supported\":true,"), "%s", json);
	cr_assert(strstr(json, "{\"name\":\"helper_override_return\",\"supported\":false,"), "%s", json);
	free(json);
}

Test(cli_probe, json_unprivileged_uses_null)
{
	char *json = render(PROFILE_UNPRIV, true);

	assert_json(json);
	cr_assert(strstr(json, "\"lockdown\":null,\"lsm\":null,\"bpf_lsm_active\":null,"), "%s", json);
	cr_assert(strstr(json, "\"privileged\":false,"), "%s", json);
	cr_assert(strstr(json, "{\"name\":\"kprobe\",\"supported\":null,\"attempt\":\"attach a kprobe to vfs_read\","
			       "\"used_for\":\"kprobe hooks on kernel functions\",\"error\":\"needs root\","
			       "\"errno\":null,\"remedy\":null}"),
		  "%s", json);
	cr_assert(strstr(json, "{\"name\":\"btf\",\"supported\":true,"), "%s", json);
	cr_assert(strstr(json, "\"signal\":{\"mechanism\":\"unknown\","), "%s", json);
	cr_assert_null(strstr(json, "\"supported\":false"), "%s", json);
	free(json);
}

Test(cli_probe, json_every_profile_is_valid)
{
	for (enum kernel_profile p = PROFILE_HOST; p <= PROFILE_UNPRIV; p++) {
		char *json = render(p, true);

		assert_json(json);
		free(json);
	}
}

/* --- the command line: every case here stops before probing --------- */

Test(cli_probe, help_on_stdout)
{
	struct run_result r;

	RUN(&r, cmd_probe, "probe", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf probe [-o text|json]\n"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(cli_probe, unknown_output_format)
{
	struct run_result r;

	RUN(&r, cmd_probe, "probe", "-o", "yaml");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert(starts_with(r.err, "rtenf probe: unknown output format \"yaml\"; use text or json\n\nusage: "),
		  "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}

Test(cli_probe, output_needs_a_value)
{
	struct run_result r;

	RUN(&r, cmd_probe, "probe", "--output");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert(starts_with(r.err, "rtenf probe: option --output needs a value\n"), "%s", r.err);
	run_result_free(&r);
}

Test(cli_probe, no_socket_option_offline_verb)
{
	struct run_result r;

	RUN(&r, cmd_probe, "probe", "--socket", "/tmp/x.sock");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert(starts_with(r.err, "rtenf probe: unknown option --socket\n"), "%s", r.err);
	run_result_free(&r);
}

Test(cli_probe, no_arguments)
{
	struct run_result r;

	RUN(&r, cmd_probe, "probe", "kprobe");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert(starts_with(r.err, "rtenf probe: unexpected argument \"kprobe\"\n"), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
}
