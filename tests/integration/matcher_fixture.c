// SPDX-License-Identifier: GPL-2.0-only
#include "matcher_fixture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "hook_maps.h"
#include "matcher_test.skel.h"
#include "util.h"

static const char matcher_format[] =
	"name: sys_enter_matcher\n"
	"ID: 9001\n"
	"format:\n"
	"\tfield:long a;\toffset:0;\tsize:8;\tsigned:1;\n"
	"\tfield:unsigned long b;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:long c;\toffset:16;\tsize:8;\tsigned:1;\n"
	"\tfield:unsigned long d;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * s;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * t;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:int hi;\toffset:52;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] name;\toffset:56;\tsize:4;\tsigned:0;\n";

static const struct fake_tracepoint matcher_tp = {"syscalls", "sys_enter_matcher", matcher_format};

static const char *const ns_names[RTENF_NS_COUNT] = {
	[RTENF_NS_UTS] = "uts",
	[RTENF_NS_IPC] = "ipc",
	[RTENF_NS_MNT] = "mnt",
	[RTENF_NS_PID] = "pid",
	[RTENF_NS_PID_FOR_CHILDREN] = "pid_for_children",
	[RTENF_NS_NET] = "net",
	[RTENF_NS_TIME] = "time",
	[RTENF_NS_TIME_FOR_CHILDREN] = "time_for_children",
	[RTENF_NS_CGROUP] = "cgroup",
	[RTENF_NS_USER] = "user",
};

__u32 own_ns_inum(unsigned ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[ns]);
	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return (__u32)st.st_ino;
}

void matcher_init(struct matcher *m)
{
	require_root();
	memset(m, 0, sizeof(*m));
	fake_kernel_init(&m->fk, &matcher_tp, 1);
	for (unsigned ns = 0; ns < RTENF_NS_COUNT; ns++)
		m->fk.host_ns[ns] = own_ns_inum(ns);
}

static char *dump_diags(const struct diag_list *d)
{
	struct strbuf sb = {0};

	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);

		sb_printf(&sb, "  %s\n", s);
		free(s);
	}
	return sb.buf ? sb_steal(&sb) : xstrdup("");
}

void matcher_load_yaml(struct matcher *m, const char *yaml)
{
	struct diag_list d = {0};
	const struct compiled_hook *h;
	struct policy *p;
	int r;

	p = policy_parse(yaml, strlen(yaml), "matcher.yaml", &d);
	cr_assert_not_null(p, "parse:\n%s", dump_diags(&d));
	m->cp = policy_compile(p, &m->fk.kv, &d);
	cr_assert_not_null(m->cp, "compile:\n%s", dump_diags(&d));
	policy_free(p);
	diag_list_free(&d);
	h = &m->cp->hooks[0];

	m->skel = matcher_test_bpf__open();
	cr_assert_not_null(m->skel, "open: %s", strerror(errno));
	m->skel->rodata->rtenf_key = m->fk.kv.key;
	memcpy((void *)&m->skel->rodata->rtenf_cfg, &h->cfg, sizeof(h->cfg));
	if (m->no_defer)
		m->skel->rodata->rtenf_cfg.flags &= ~RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	hook_maps_size(h, m->skel->obj);
	/* the matcher posts nothing: keep the unused ring buffer small */
	bpf_map__set_max_entries(m->skel->maps.events, (__u32)sysconf(_SC_PAGESIZE));
	r = matcher_test_bpf__load(m->skel);
	cr_assert_eq(r, 0, "the kernel refused the matcher: %s", strerror(-r));
	cr_assert(m->skel->rodata->selector_none == MATCH_NONE && m->skel->rodata->selector_defer == MATCH_DEFER,
		  "the fixture's outcomes differ from kernel/selector.bpf.h");
	r = hook_maps_fill(h, m->skel->obj);
	cr_assert_eq(r, 0, "filling the value maps: %s", strerror(-r));
}

void matcher_load(struct matcher *m, const char *selectors)
{
	char *yaml = xasprintf(MATCHER_HEAD MATCHER_ARGS "%s%s", selectors ? "    selectors:\n" : "",
			       selectors ? selectors : "");

	matcher_load_yaml(m, yaml);
	free(yaml);
}

void matcher_unload(struct matcher *m)
{
	matcher_test_bpf__destroy(m->skel);
	compiled_policy_free(m->cp);
	m->skel = NULL;
	m->cp = NULL;
}

static int test_run(int prog_fd, const __u64 *ctx, size_t n)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = n * sizeof(*ctx));
	int r = bpf_prog_test_run_opts(prog_fd, &opts);

	cr_assert_eq(r, 0, "bpf_prog_test_run: %s", strerror(errno));
	return (int)opts.retval;
}

int matcher_run(struct matcher *m, const __u64 rec[MATCHER_SLOTS])
{
	int r = test_run(bpf_program__fd(m->skel->progs.match_run), rec, MATCHER_SLOTS);

	cr_assert_eq(r, 0, "the matcher could not start (no scratch memory)");
	return m->skel->data->matched;
}

void matcher_load_arg(struct matcher *m, unsigned index, const char *op, const char *values)
{
	char *sel = xasprintf("    - matchArgs:\n"
			      "      - index: %u\n"
			      "        operator: %s\n"
			      "        values: [%s]\n",
			      index, op, values);

	matcher_load(m, sel);
	free(sel);
}

int matcher_run_int(struct matcher *m, unsigned slot, __u64 v)
{
	__u64 rec[MATCHER_SLOTS] = {0};

	rec[slot] = v;
	return matcher_run(m, rec);
}

static void map_pages_of(const void *bytes, size_t len)
{
	const volatile char *c = bytes;

	for (size_t i = 0; i < len; i++)
		(void)c[i];
}

__u64 matcher_user_str(const char *s)
{
	if (s)
		map_pages_of(s, strlen(s) + 1);
	return (__u64)(uintptr_t)s;
}

void matcher_data_loc(__u64 rec[MATCHER_SLOTS], const char *s)
{
	size_t len = strlen(s) + 1, room = (MATCHER_SLOTS - MATCHER_DATA_SLOT) * sizeof(__u64);

	cr_assert_leq(len, room, "data_loc string too long for the record");
	memcpy(&rec[MATCHER_DATA_SLOT], s, len);
	rec[7] = (__u64)(MATCHER_DATA_SLOT * sizeof(__u64)) | (__u64)len << 16;
}

__u64 matcher_bpf_hash(struct matcher *m, const void *bytes, __u32 len)
{
	__u64 ctx[2] = {(uintptr_t)bytes, len};

	map_pages_of(bytes, len); /* hash_run reads them with bpf_probe_read_user() */

	cr_assert_eq(test_run(bpf_program__fd(m->skel->progs.hash_run), ctx, 2), 0, "hash_run refused %u bytes", len);
	return m->skel->bss->bpf_hash;
}

void matcher_set_binary(struct matcher *m, const char *path)
{
	int fd = bpf_map__fd(m->skel->maps.processes);
	__u32 tgid = (__u32)getpid();
	struct rtenf_process proc = {0};

	if (!path) {
		bpf_map_delete_elem(fd, &tgid);
		return;
	}
	proc.exec_id = 1;
	proc.bin_hash = matcher_bpf_hash(m, path, (__u32)strlen(path));
	cr_assert_eq(bpf_map_update_elem(fd, &tgid, &proc, BPF_ANY), 0, "processes: %s", strerror(errno));
}
