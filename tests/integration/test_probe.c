// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf probe on the real kernel: every claim it makes is checked against
 * something read or tried without rtenf's probe code (securityfs, sysfs
 * event sources, tracefs kprobe_events, uname, mountinfo).  Nothing about
 * this host is hard-coded: the same tests run in the VM matrix on kernels
 * with kprobes and BPF LSM.
 *
 * The JSON is read with small string lookups rather than jq, because the
 * VM has no jq; jq, when installed, checks that it parses.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <linux/magic.h>

#include "harness.h"
#include "util.h"

#define SECURITYFS "/sys/kernel/security"
#define TRACEFS    "/sys/kernel/tracing"

TestSuite(probe, .timeout = 60);

/* --- reading rtenf's JSON ---------------------------------------------- */

static bool begins(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

enum tri { T_NULL = -1, T_FALSE = 0, T_TRUE = 1, T_ABSENT = -2 };

static enum tri literal_at(const char *p)
{
	if (!p)
		return T_ABSENT;
	if (begins(p, "true"))
		return T_TRUE;
	if (begins(p, "false"))
		return T_FALSE;
	if (begins(p, "null"))
		return T_NULL;
	return T_ABSENT;
}

/* Whatever follows "key": in the object that starts at obj. */
static const char *value_of(const char *obj, const char *key)
{
	char *k = xasprintf("\"%s\":", key);
	const char *p = obj ? strstr(obj, k) : NULL;

	if (p)
		p += strlen(k);
	free(k);
	return p;
}

static enum tri supported(const char *json, const char *feature)
{
	char *k = xasprintf("{\"name\":\"%s\",\"supported\":", feature);
	const char *p = strstr(json, k);
	enum tri t = literal_at(p ? p + strlen(k) : NULL);

	free(k);
	cr_assert_neq(t, T_ABSENT, "feature %s missing from: %s", feature, json);
	return t;
}

static bool yes(const char *json, const char *feature)
{
	return supported(json, feature) == T_TRUE;
}

/* A string value (caller frees), or NULL for null. */
static char *string_of(const char *obj, const char *key)
{
	const char *p = value_of(obj, key);

	cr_assert_not_null(p, "no \"%s\" in: %s", key, obj);
	if (begins(p, "null"))
		return NULL;
	cr_assert_eq(*p, '"', "\"%s\" is not a string in: %s", key, obj);
	return xstrndup(p + 1, strcspn(p + 1, "\""));
}

/* "kprobe.multi", "none", ... for a hook class. */
static char *mechanism(const char *json, const char *class)
{
	const char *m = value_of(json, "mechanisms");
	char *k = xasprintf("\"%s\":", class);
	const char *p;

	cr_assert_not_null(m, "no mechanisms in: %s", json);
	p = strstr(m, k);
	cr_assert_not_null(p, "no mechanism for %s in: %s", class, m);
	free(k);
	return string_of(p, "mechanism");
}

/* The "lsm" array as "a,b,c", or NULL for null. */
static char *lsm_list(const char *json)
{
	const char *p = value_of(value_of(json, "kernel"), "lsm");
	struct strbuf sb = {0};

	cr_assert_not_null(p);
	if (begins(p, "null"))
		return NULL;
	cr_assert_eq(*p, '[');
	for (p++; *p != ']';) {
		size_t n;

		cr_assert_eq(*p, '"', "bad lsm array: %s", p);
		n = strcspn(p + 1, "\"");
		if (sb.len)
			sb_putc(&sb, ',');
		sb_append(&sb, p + 1, n);
		p += n + 2;
		if (*p == ',')
			p++;
	}
	return sb_steal(&sb);
}

static bool have_jq(void)
{
	return system("command -v jq >/dev/null 2>&1") == 0;
}

static void check_parses(const char *json)
{
	char path[] = "/tmp/rtenf-probe-XXXXXX";
	int fd = mkstemp(path), r;
	char *cmd;

	if (!have_jq())
		return;
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	cmd = xasprintf("jq -e '.kernel and .features and .mechanisms' %s >/dev/null", path);
	r = system(cmd);
	unlink(path);
	free(cmd);
	cr_assert_eq(r, 0, "jq does not accept: %s", json);
}

static char *probe_json(void)
{
	char *out, *err;
	int r = cli(NULL, &out, &err, "probe", "-o", "json", NULL);

	cr_assert_eq(r, 0, "rtenf probe -o json exited %d: %s", r, err);
	cr_assert_str_eq(err, "", "stderr: %s", err);
	cr_assert(begins(out, "{\"kernel\":"), "%s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "not one line: %s", out);
	free(err);
	check_parses(out);
	return out;
}

/* --- the kernel, read independently ------------------------------------ */

static bool fs_is(const char *dir, long magic)
{
	struct statfs sf;

	return !statfs(dir, &sf) && sf.f_type == magic;
}

/* securityfs's copy of a file (caller frees); NULL when absent. */
static char *security_file(const char *name)
{
	char *path = xasprintf(SECURITYFS "/%s", name), *text;

	if (!fs_is(SECURITYFS, SECURITYFS_MAGIC))
		mount("securityfs", SECURITYFS, "securityfs", 0, NULL);
	text = read_file(path, NULL);
	free(path);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Tries what a kprobe needs through tracefs: define one on vfs_read and
 * remove it again.  Appends, never truncates: truncating kprobe_events
 * would delete everyone's kprobes. */
static bool kprobe_by_tracefs(void)
{
	char *def = xasprintf("p:rtenf_check/vfs_read_%d vfs_read\n", (int)getpid());
	char *undef = xasprintf("-:rtenf_check/vfs_read_%d\n", (int)getpid());
	bool ok;
	int fd;

	if (!fs_is(TRACEFS, TRACEFS_MAGIC))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	fd = open(TRACEFS "/kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		/* No kprobe_events file: CONFIG_KPROBE_EVENTS is off, unless
		 * tracefs itself is missing; then ask the perf PMU instead. */
		ok = !exists(TRACEFS "/events") && exists("/sys/bus/event_source/devices/kprobe");
		goto out;
	}
	ok = write(fd, def, strlen(def)) == (ssize_t)strlen(def);
	if (ok)
		cr_assert_eq(write(fd, undef, strlen(undef)), (ssize_t)strlen(undef), "cannot remove test kprobe: %s",
			     strerror(errno));
	close(fd);
out:
	free(def);
	free(undef);
	return ok;
}

/* The cgroup2 mount from mountinfo, parsed here on purpose. */
static char *cgroup2_mount(void)
{
	char *info = read_file("/proc/self/mountinfo", NULL), *line, *save = NULL, *found = NULL;

	cr_assert_not_null(info);
	for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mnt[512];

		if (strstr(line, " - cgroup2 ") && sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1) {
			found = xstrdup(mnt);
			break;
		}
	}
	free(info);
	return found;
}

/* Whether the comma-separated list holds name as a whole item. */
static bool list_has(const char *list, const char *name)
{
	char *padded = xasprintf(",%s,", list), *item = xasprintf(",%s,", name);
	bool found = strstr(padded, item) != NULL;

	free(padded);
	free(item);
	return found;
}

/* --- the tests ----------------------------------------------------------- */

Test(probe, kernel_facts_match_uname_sysfs_and_securityfs)
{
	char *json, *release, *lockdown, *want_lsm, *got_lsm, *want_lockdown;
	const char *kernel;
	struct utsname u;

	require_root();
	json = probe_json();
	kernel = value_of(json, "kernel");
	cr_assert_eq(uname(&u), 0);
	release = string_of(kernel, "release");
	cr_assert_str_eq(release, u.release);
	cr_assert_eq(literal_at(value_of(kernel, "btf")), exists("/sys/kernel/btf/vmlinux") ? T_TRUE : T_FALSE);
	cr_assert_eq(literal_at(value_of(json, "privileged")), T_TRUE);

	want_lsm = security_file("lsm");
	cr_assert_not_null(want_lsm, "securityfs has no lsm file; is CONFIG_SECURITYFS off?");
	got_lsm = lsm_list(json);
	cr_assert_not_null(got_lsm, "rtenf did not read the LSM list: %s", json);
	cr_assert_str_eq(got_lsm, want_lsm);
	cr_assert_eq(literal_at(value_of(kernel, "bpf_lsm_active")), list_has(want_lsm, "bpf") ? T_TRUE : T_FALSE);

	lockdown = string_of(kernel, "lockdown");
	want_lockdown = security_file("lockdown");
	if (want_lockdown) {
		const char *open = strchr(want_lockdown, '[');

		cr_assert_not_null(open);
		cr_assert_not_null(lockdown);
		cr_assert(!strncmp(open + 1, lockdown, strlen(lockdown)) && open[1 + strlen(lockdown)] == ']',
			  "rtenf says %s, securityfs says %s", lockdown, want_lockdown);
	} else {
		cr_assert(!lockdown || !strcmp(lockdown, "none"), "lockdown %s without a lockdown file", lockdown);
	}
	free(want_lockdown);
	free(lockdown);
	free(want_lsm);
	free(got_lsm);
	free(release);
	free(json);
}

Test(probe, program_type_claims_match_sysfs_and_tracefs)
{
	char *json;
	bool lsms_ok;
	char *lsm;

	require_root();
	json = probe_json();

	/* The agent and the rest of this suite attach these everywhere. */
	cr_assert(yes(json, "prog_tracepoint"), "%s", json);
	cr_assert(yes(json, "prog_tp_btf"), "%s", json);
	cr_assert(yes(json, "ringbuf"), "%s", json);
	cr_assert(yes(json, "helper_send_signal"), "%s", json);
	cr_assert(exists(TRACEFS "/events/syscalls") || exists("/sys/kernel/debug/tracing/events/syscalls"));

	cr_assert_eq(yes(json, "uprobe"), exists("/sys/bus/event_source/devices/uprobe"),
		     "uprobe: rtenf and sysfs disagree: %s", json);
	cr_assert_eq(yes(json, "kprobe"), kprobe_by_tracefs(),
		     "kprobe: rtenf and tracefs kprobe_events disagree: %s", json);
	/* bpf_override_return lives in kprobe programs. */
	if (yes(json, "helper_override_return"))
		cr_assert(yes(json, "kprobe"), "%s", json);

	/* A BPF LSM program attaches only when bpf is an active LSM. */
	lsm = security_file("lsm");
	cr_assert_not_null(lsm);
	lsms_ok = list_has(lsm, "bpf");
	if (yes(json, "lsm"))
		cr_assert(lsms_ok, "lsm supported but the active LSMs are %s", lsm);
	if (yes(json, "helper_d_path"))
		cr_assert(yes(json, "lsm"), "%s", json);
	free(lsm);
	free(json);
}

Test(probe, cgroup_root_matches_mountinfo)
{
	char *json = NULL, *want, *got;

	require_root();
	json = probe_json();
	want = cgroup2_mount();
	got = string_of(value_of(json, "kernel"), "cgroup2_root");
	if (want) {
		cr_assert_not_null(got, "rtenf found no cgroup2 mount; mountinfo has %s", want);
		cr_assert_str_eq(got, want);
	} else {
		cr_assert_null(got);
		cr_assert_eq(supported(json, "cgroup_sock_addr"), T_FALSE, "%s", json);
	}
	free(want);
	free(got);
	free(json);
}

static bool is(const char *mech, const char *want)
{
	return !strcmp(mech, want);
}

/* fmod_ret on a syscall needs the syscall on the error-injection list; a
 * debugfs (which rtenf probe mounts) without error_injection/ is a kernel
 * built without CONFIG_FUNCTION_ERROR_INJECTION, as Debian's are. */
static bool injection_config_off(void)
{
	struct statfs fs;

	return !statfs("/sys/kernel/debug", &fs) && fs.f_type == DEBUGFS_MAGIC &&
	       !exists("/sys/kernel/debug/error_injection");
}

/* The mechanisms are the compiler's choices from the features rtenf
 * reported (checked above against tracefs and sysfs), in the compiler's
 * order; where a choice rests on something else the kernel shows, that is
 * checked too. */
Test(probe, mechanisms_agree_with_the_features)
{
	char *json, *m, *lsm, *cg;
	bool function_hooks, override_return;

	require_root();
	json = probe_json();
	lsm = security_file("lsm");
	cr_assert_not_null(lsm);
	cg = cgroup2_mount();
	function_hooks = yes(json, "kprobe_multi") || yes(json, "kprobe") || yes(json, "fentry");
	override_return = yes(json, "kprobe") && yes(json, "helper_override_return");

	m = mechanism(json, "kprobe_function");
	cr_assert_eq(is(m, "none"), !function_hooks, "kprobe_function %s: %s", m, json);
	free(m);
	m = mechanism(json, "kprobe_syscall");
	cr_assert_eq(is(m, "syscall tracepoint"), !function_hooks, "kprobe_syscall %s: %s", m, json);
	if (is(m, "syscall tracepoint"))
		cr_assert(exists(TRACEFS "/events/syscalls/sys_enter_getppid"), "%s", json);
	free(m);
	m = mechanism(json, "lsmhook");
	cr_assert_eq(is(m, "BPF LSM"), yes(json, "lsm"), "lsmhook %s: %s", m, json);
	if (is(m, "BPF LSM"))
		cr_assert(list_has(lsm, "bpf"), "BPF LSM chosen but the active LSMs are %s", lsm);
	if (!yes(json, "lsm"))
		cr_assert_eq(is(m, "fmod_ret"), yes(json, "fmod_ret"), "lsmhook %s: %s", m, json);
	free(m);
	m = mechanism(json, "override_socket");
	if (override_return)
		cr_assert_str_eq(m, "kprobe + bpf_override_return", "%s", json);
	else if (yes(json, "fmod_ret") && !injection_config_off())
		cr_assert_str_eq(m, "fmod_ret", "%s", json);
	else
		cr_assert_str_eq(m, cg && yes(json, "cgroup_sock_addr") ? "cgroup socket programs" : "none", "%s", json);
	free(m);
	m = mechanism(json, "override");
	if (yes(json, "fmod_ret") && !override_return)
		cr_assert_str_eq(m, "fmod_ret", "%s", json);
	if (!override_return && !yes(json, "fmod_ret") && !yes(json, "lsm"))
		cr_assert_str_eq(m, "none", "%s", json);
	free(m);
	m = mechanism(json, "uprobe");
	cr_assert_str_eq(m, exists("/sys/bus/event_source/devices/uprobe") ? "uprobe" : "none");
	free(m);
	m = mechanism(json, "signal");
	cr_assert_str_eq(m, yes(json, "helper_send_signal") ? "bpf_send_signal" : "none");
	free(m);
	free(cg);
	free(lsm);
	free(json);
}

/* A refused class says why in the compiler's words, naming the fix; an
 * accepted one never carries a refusal. */
Test(probe, refused_classes_say_what_is_missing)
{
	static const char *const classes[] = {
		"tracepoint", "kprobe_syscall", "kprobe_function", "lsmhook", "lsmhook_socket",
		"override", "override_socket", "signal", "uprobe",
	};
	char *json;

	require_root();
	json = probe_json();
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		char *key = xasprintf("\"%s\":", classes[i]), *m, *detail;
		const char *p = strstr(value_of(json, "mechanisms"), key);

		cr_assert_not_null(p, "no %s in: %s", classes[i], json);
		m = string_of(p, "mechanism");
		detail = string_of(p, "detail");
		cr_assert_neq(strcmp(m, "unknown"), 0, "%s unknown as root: %s", classes[i], detail);
		cr_assert_eq(is(m, "none"), strstr(detail, "CONFIG_") || strstr(detail, "lsm=") || strstr(detail, "Linux "),
			     "%s is %s: %s", classes[i], m, detail);
		if (is(m, "none") && is(classes[i], "kprobe_function"))
			cr_assert(begins(detail, "cannot hook kernel function security_file_open on this kernel: "
						 "it needs kprobes (CONFIG_KPROBES=y"),
				  "%s", detail);
		free(detail);
		free(m);
		free(key);
	}
	free(json);
}

Test(probe, text_output_has_every_section)
{
	char *out, *err;
	int r;

	require_root();
	r = cli(NULL, &out, &err, "probe", NULL);
	cr_assert_eq(r, 0, "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert(begins(out, "KERNEL\nrelease "), "%s", out);
	cr_assert(strstr(out, "\nFEATURES\nbtf "), "%s", out);
	cr_assert(strstr(out, "\nWHAT RTENF WILL DO ON THIS KERNEL\n"), "%s", out);
	cr_assert(strstr(out, "\nprog_tracepoint              yes  used for: "), "%s", out);
	free(out);
	free(err);
}

/* Runs BIN probe ARGS as nobody; returns the exit status, or -1 when
 * nobody cannot execute BIN. */
static int probe_as_nobody(const char *bin, const char *arg1, const char *arg2, char **out, char **err)
{
	char path[] = "/tmp/rtenf-probe-out-XXXXXX", epath[] = "/tmp/rtenf-probe-err-XXXXXX";
	int fo = mkstemp(path), fe = mkstemp(epath), status;
	pid_t pid;

	cr_assert(fo >= 0 && fe >= 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		const char *argv[] = {bin, "probe", arg1, arg2, NULL};

		dup2(fo, 1);
		dup2(fe, 2);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(126);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	*out = read_file(path, NULL);
	*err = read_file(epath, NULL);
	close(fo);
	close(fe);
	unlink(path);
	unlink(epath);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

/* A copy of rtenf that nobody can execute, for build directories only
 * root can enter; the caller removes dir. */
static char *copy_for_nobody(char *dir)
{
	size_t len;
	char *bin = read_file(rtenf_bin(), &len), *path;
	int fd;

	cr_assert_not_null(bin, "cannot read %s", rtenf_bin());
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	path = xasprintf("%s/rtenf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, bin, len), (ssize_t)len);
	close(fd);
	free(bin);
	return path;
}

Test(probe, without_root_bpf_probes_are_unknown_not_no)
{
	static const char *const bpf_features[] = {"ringbuf", "prog_tracepoint", "kprobe", "fentry", "lsm", "uprobe"};
	char dir[] = "/tmp/rtenf-probe-bin-XXXXXX", *out, *err, *copy = NULL;
	const char *bin = rtenf_bin();
	int r;

	require_root(); /* to become nobody */
	r = probe_as_nobody(bin, "-o", "json", &out, &err);
	if (r < 0) {
		free(out);
		free(err);
		bin = copy = copy_for_nobody(dir);
		r = probe_as_nobody(bin, "-o", "json", &out, &err);
	}
	if (r < 0)
		cr_skip_test("nobody cannot execute %s, nor a copy in %s", rtenf_bin(), dir);
	cr_assert_eq(r, 0, "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(literal_at(value_of(out, "privileged")), T_FALSE, "%s", out);
	for (size_t i = 0; i < ARRAY_SIZE(bpf_features); i++)
		cr_assert_eq(supported(out, bpf_features[i]), T_NULL, "%s: %s", bpf_features[i], out);
	cr_assert_eq(supported(out, "btf"), exists("/sys/kernel/btf/vmlinux") ? T_TRUE : T_FALSE);
	check_parses(out);
	free(out);
	free(err);

	r = probe_as_nobody(bin, NULL, NULL, &out, &err);
	cr_assert_eq(r, 0, "%s", err);
	cr_assert(strstr(out, "\nkprobe                       unknown  (needs root)"), "%s", out);
	cr_assert(begins(err, "rtenf probe: not root:"), "%s", err);
	free(out);
	free(err);
	if (copy) {
		unlink(copy);
		rmdir(dir);
		free(copy);
	}
}
