// SPDX-License-Identifier: GPL-2.0-only
#include "compile_fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "util.h"

#define COMMON_FIELDS                                                                   \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"          \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"          \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"  \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"                      \
	"\n"

static const char openat_format[] =
	"name: sys_enter_openat\n"
	"ID: 782\n"
	"format:\n" COMMON_FIELDS
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx\", "
	"((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), "
	"((unsigned long)(REC->mode))\n";

static const char write_format[] =
	"name: sys_enter_write\n"
	"ID: 840\n"
	"format:\n" COMMON_FIELDS
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned int fd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * buf;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t count;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"fd: 0x%08lx, buf: 0x%08lx, count: 0x%08lx\", ((unsigned long)(REC->fd)), "
	"((unsigned long)(REC->buf)), ((unsigned long)(REC->count))\n";

static const char exec_format[] =
	"name: sched_process_exec\n"
	"ID: 365\n"
	"format:\n" COMMON_FIELDS
	"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"filename=%s pid=%d old_pid=%d\", __get_str(filename), REC->pid, REC->old_pid\n";

static const char exit_execve_format[] =
	"name: sys_exit_execve\n"
	"ID: 760\n"
	"format:\n" COMMON_FIELDS
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n"
	"\n"
	"print fmt: \"0x%lx\", REC->ret\n";

static const char widths_format[] =
	"name: widths\n"
	"ID: 9000\n"
	"format:\n" COMMON_FIELDS
	"\tfield:s8 small;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield:u16 half;\toffset:10;\tsize:2;\tsigned:0;\n"
	"\tfield:int word;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:u64 big;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:long sbig;\toffset:24;\tsize:8;\tsigned:1;\n"
	"\tfield:const char * name;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:40;\tsize:4;\tsigned:1;\n"
	"\tfield:char comm[16];\toffset:44;\tsize:16;\tsigned:0;\n"
	"\tfield:u8 bytes[3];\toffset:60;\tsize:3;\tsigned:0;\n"
	"\tfield:u32 far;\toffset:256;\tsize:4;\tsigned:0;\n";

const struct fake_tracepoint unit_tracepoints[] = {
	{"syscalls", "sys_enter_openat", openat_format},
	{"syscalls", "sys_enter_write", write_format},
	{"sched", "sched_process_exec", exec_format},
	{"syscalls", "sys_exit_execve", exit_execve_format},
	{"test", "widths", widths_format},
};
const size_t n_unit_tracepoints = ARRAY_SIZE(unit_tracepoints);

void unit_kernel(struct fake_kernel *fk)
{
	fake_kernel_init(fk, unit_tracepoints, n_unit_tracepoints);
}

char *diags_dump(const struct diag_list *d)
{
	struct strbuf sb = {0};

	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);

		sb_printf(&sb, "  %s\n", s);
		free(s);
	}
	return sb.buf ? sb_steal(&sb) : xstrdup("  (none)\n");
}

struct compiled_policy *compile_with(const char *yaml, struct fake_kernel *fk, struct diag_list *diags)
{
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", diags);
	struct compiled_policy *cp;

	cr_assert_not_null(p, "the parser rejected the test policy:\n%s", diags_dump(diags));
	cp = policy_compile(p, &fk->kv, diags);
	policy_free(p);
	return cp;
}

struct compiled_policy *compile_ok(const char *yaml)
{
	struct diag_list d = {0};
	struct fake_kernel fk;
	struct compiled_policy *cp;

	unit_kernel(&fk);
	cp = compile_with(yaml, &fk, &d);
	cr_assert_not_null(cp, "compile failed:\n%s", diags_dump(&d));
	cr_assert_eq(d.n, 0, "diagnostics on success:\n%s", diags_dump(&d));
	diag_list_free(&d);
	return cp;
}

const struct compiled_hook *only_hook(const struct compiled_policy *cp)
{
	cr_assert_eq(cp->n_hooks, 1);
	return &cp->hooks[0];
}

static void expect_only(struct compiled_policy *cp, const struct diag_list *d, const char *want, bool whole)
{
	char *got;

	cr_assert_null(cp, "compiled, expected: %s", want);
	cr_assert_eq(d->n, 1, "expected only: %s\ngot:\n%s", want, diags_dump(d));
	got = diag_format(&d->v[0]);
	cr_assert_eq(d->v[0].level, DIAG_ERROR);
	if (whole)
		cr_assert_str_eq(got, want);
	else
		cr_assert(!strncmp(got, want, strlen(want)), "expected a message starting\n  %s\ngot\n  %s", want, got);
	free(got);
}

void expect_compile_error_with(const char *yaml, struct fake_kernel *fk, const char *want)
{
	struct diag_list d = {0};

	expect_only(compile_with(yaml, fk, &d), &d, want, true);
	diag_list_free(&d);
}

void expect_compile_error(const char *yaml, const char *want)
{
	struct fake_kernel fk;

	unit_kernel(&fk);
	expect_compile_error_with(yaml, &fk, want);
}

void expect_policy_error(const struct policy *p, struct fake_kernel *fk, const char *want)
{
	struct diag_list d = {0};

	expect_only(policy_compile(p, &fk->kv, &d), &d, want, true);
	diag_list_free(&d);
}

void expect_compile_error_start_with(const char *yaml, struct fake_kernel *fk, const char *want)
{
	struct diag_list d = {0};

	expect_only(compile_with(yaml, fk, &d), &d, want, false);
	diag_list_free(&d);
}

void expect_compile_error_start(const char *yaml, const char *want)
{
	struct fake_kernel fk;

	unit_kernel(&fk);
	expect_compile_error_start_with(yaml, &fk, want);
}

__u64 key_hash(const char *s)
{
	return rtenf_hash((const __u8 *)s, (__u32)strlen(s), &fake_key);
}

size_t rows_in_set(const struct compiled_hook *h, __u32 set_id)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n_values; i++)
		n += h->values[i].set_id == set_id;
	return n;
}

bool has_row(const struct compiled_hook *h, __u32 set_id, __u64 v)
{
	for (size_t i = 0; i < h->n_values; i++)
		if (h->values[i].set_id == set_id && h->values[i].value == v && !h->values[i].pad)
			return true;
	return false;
}

/* The set of a filter holds exactly these values. */
void assert_set(const struct compiled_hook *h, const struct rtenf_filter *f, const __u64 *v, size_t n)
{
	cr_assert_eq(f->flags & RTENF_FILTER_F_IMM, 0, "a filter with %zu values must use a set", n);
	cr_assert_eq(rows_in_set(h, f->set_id), n, "set %u has %zu rows, expected %zu", f->set_id,
		     rows_in_set(h, f->set_id), n);
	for (size_t i = 0; i < n; i++)
		cr_assert(has_row(h, f->set_id, v[i]), "set %u lacks %#llx", f->set_id, (unsigned long long)v[i]);
}

bool has_prefix(const struct compiled_hook *h, const struct rtenf_prefix_key *k)
{
	for (size_t i = 0; i < h->n_prefixes; i++)
		if (!memcmp(&h->prefixes[i], k, sizeof(*k)))
			return true;
	return false;
}

/* The LPM row for bytes s in set set_id, built here byte by byte. */
void expect_lpm_row(const struct compiled_hook *h, __u32 set_id, const char *s)
{
	struct rtenf_prefix_key k;
	size_t len = strlen(s);

	memset(&k, 0, sizeof(k));
	k.prefixlen = 32 + 8 * (__u32)len;
	k.data[0] = set_id >> 24;
	k.data[1] = set_id >> 16;
	k.data[2] = set_id >> 8;
	k.data[3] = set_id & 0xff;
	memcpy(k.data + 4, s, len);
	cr_assert(has_prefix(h, &k), "no LPM row \"%s\" in set %u", s, set_id);
}
