// SPDX-License-Identifier: GPL-2.0-only
#include "probe_format.h"

#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "event_format.h"
#include "text_table.h"

/* libbpf's own error codes (-4000 and below) read better through it. */
static void put_error(struct strbuf *out, int err)
{
	char buf[128];

	if (libbpf_strerror(err, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "error %d", err);
	sb_puts(out, buf);
}

/* What would make a missing feature work.  The probes' remedies are
 * general; with the kernel facts in hand some can be made exact. */
static const char *remedy(const struct probe_report *r, enum feature f)
{
	if (f == FEAT_LSM && r->kernel.bpf_lsm_active == 1 && r->state[FEAT_FENTRY] == FEATURE_NO)
		return "BPF trampolines: bpf is in the active LSM list, but BPF LSM programs attach "
		       "through trampolines too (see fentry)";
	if (f == FEAT_HELPER_D_PATH && r->state[FEAT_LSM] == FEATURE_NO)
		return "BPF LSM programs (see lsm)";
	if (f == FEAT_KPROBE && !strcmp(r->kernel.lockdown, "confidentiality"))
		return "lockdown below confidentiality (kprobes are locked down)";
	return feature_remedy(f);
}

/* "a", "a and b", "a, b and c" */
static void put_joined(struct strbuf *out, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(out, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", words[i]);
}

/* "; rtenf falls back to syscall tracepoint for kprobe hooks on syscalls,
 * to cgroup socket programs for Override on connect/bind/sendmsg; nothing
 * is left for lsmhooks": the classes whose plan the missing feature f
 * changes, those falling back to the same thing named together. */
static void put_consequences(struct strbuf *out, const struct probe_report *r, enum feature f)
{
	const struct mechanism_plan *plan = r->plans.of;
	bool hit[HOOK_CLASS_COUNT], done[HOOK_CLASS_COUNT] = {0};
	const char *labels[HOOK_CLASS_COUNT];
	size_t n_lost = 0, n_groups = 0;

	for (int c = 0; c < HOOK_CLASS_COUNT; c++)
		hit[c] = r->plans.changes[f] & (1u << c);
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		const char *name = mechanism_plan_name(c, &plan[c]);
		size_t n = 0;

		if (!hit[c] || done[c] || plan[c].outcome != PLAN_CHOSEN)
			continue;
		for (int d = c; d < HOOK_CLASS_COUNT; d++) {
			if (hit[d] && !done[d] && plan[d].outcome == PLAN_CHOSEN &&
			    !strcmp(mechanism_plan_name(d, &plan[d]), name)) {
				labels[n++] = hook_class_label(d);
				done[d] = true;
			}
		}
		sb_printf(out, "%s to %s for ", n_groups++ ? "," : "; rtenf falls back", name);
		put_joined(out, labels, n);
	}
	for (int c = 0; c < HOOK_CLASS_COUNT; c++)
		if (hit[c] && plan[c].outcome == PLAN_NONE)
			labels[n_lost++] = hook_class_label(c);
	if (n_lost) {
		sb_puts(out, "; nothing is left for ");
		put_joined(out, labels, n_lost);
	}
}

static void put_feature_detail(struct strbuf *out, const struct probe_report *r, enum feature f)
{
	const char *fix;

	switch (r->state[f]) {
	case FEATURE_YES:
		sb_printf(out, "used for: %s", feature_use(f));
		break;
	case FEATURE_UNKNOWN:
		sb_printf(out, "(needs root) — used for: %s", feature_use(f));
		break;
	case FEATURE_NO:
		sb_putc(out, '(');
		put_error(out, r->err[f]);
		sb_putc(out, ')');
		fix = remedy(r, f);
		if (fix)
			sb_printf(out, " — needs %s", fix);
		put_consequences(out, r, f);
		break;
	}
}

static const char *answer(enum feature_state s)
{
	return s == FEATURE_YES ? "yes" : s == FEATURE_NO ? "no" : "unknown";
}

static void put_lsm_list(struct strbuf *out, const struct kernel_info *k)
{
	for (size_t i = 0; i < k->n_lsm; i++)
		sb_printf(out, "%s%s", i ? "," : "", k->lsm[i]);
	if (!k->n_lsm)
		sb_puts(out, "(none)");
}

static void text_kernel(struct strbuf *out, const struct probe_report *r)
{
	const struct kernel_info *k = &r->kernel;
	const char *why = k->unknown_why ? k->unknown_why : "cannot be read";
	struct strbuf cell = {0};
	struct text_table t;

	table_init(&t, NULL, 2, 0);
	table_cell(&t, "release");
	table_cell(&t, "%s", k->release[0] ? k->release : "unknown");
	table_cell(&t, "btf");
	table_cell(&t, "%s", k->btf ? "yes" : "no (no /sys/kernel/btf/vmlinux: CONFIG_DEBUG_INFO_BTF=y)");
	table_cell(&t, "lockdown");
	if (k->lockdown[0])
		table_cell(&t, "%s", k->lockdown);
	else
		table_cell(&t, "unknown (%s)", why);
	table_cell(&t, "active lsms");
	if (k->lsm_known) {
		put_lsm_list(&cell, k);
		table_cell(&t, "%s", cell.buf);
	} else {
		table_cell(&t, "unknown (%s)", why);
	}
	table_cell(&t, "bpf lsm");
	if (k->bpf_lsm_active == 1)
		table_cell(&t, "active (bpf is in the list)");
	else if (k->bpf_lsm_active == 0)
		table_cell(&t, "inactive: add bpf to the lsm= boot parameter to enable it");
	else
		table_cell(&t, "unknown");
	table_cell(&t, "unprivileged bpf");
	switch (k->unprivileged_bpf_disabled) {
	case 0:
		table_cell(&t, "allowed (kernel.unprivileged_bpf_disabled=0)");
		break;
	case -1:
		table_cell(&t, "unknown");
		break;
	default:
		table_cell(&t, "disabled (kernel.unprivileged_bpf_disabled=%d)", k->unprivileged_bpf_disabled);
	}
	table_cell(&t, "bpf jit");
	if (k->jit_enable < 0)
		table_cell(&t, "unknown");
	else
		table_cell(&t, "%s (net.core.bpf_jit_enable=%d)", k->jit_enable ? "on" : "off", k->jit_enable);
	table_cell(&t, "cgroup v2");
	table_cell(&t, "%s", k->cgroup2_root ? k->cgroup2_root : "not mounted");
	table_cell(&t, "privileges");
	table_cell(&t, "%s", k->privileged ? "privileged: every probe ran"
					   : "not root: probes marked unknown need root (sudo rtenf probe)");
	sb_puts(out, "KERNEL\n");
	table_print(&t, out);
	table_free(&t);
	sb_free(&cell);
}

static void text_features(struct strbuf *out, const struct probe_report *r)
{
	struct strbuf cell = {0};
	struct text_table t;

	table_init(&t, NULL, 3, 0);
	for (int f = 0; f < FEAT_COUNT; f++) {
		table_cell(&t, "%s", feature_name(f));
		table_cell(&t, "%s", answer(r->state[f]));
		sb_reset(&cell);
		put_feature_detail(&cell, r, f);
		table_cell(&t, "%s", cell.buf);
	}
	sb_puts(out, "\nFEATURES\n");
	table_print(&t, out);
	table_free(&t);
	sb_free(&cell);
}

static void text_mechanisms(struct strbuf *out, const struct probe_report *r)
{
	struct text_table t;

	table_init(&t, NULL, 3, 0);
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		const struct mechanism_plan *m = &r->plans.of[c];

		table_cell(&t, "%s", hook_class_label(c));
		table_cell(&t, "%s", mechanism_plan_name(c, m));
		table_cell(&t, "%s", m->detail);
	}
	sb_puts(out, "\nWHAT RTENF WILL DO ON THIS KERNEL\n");
	table_print(&t, out);
	table_free(&t);
}

void probe_report_free(struct probe_report *r)
{
	kernel_info_free(&r->kernel);
	mechanism_plans_free(&r->plans);
}

void probe_format_text(struct strbuf *out, const struct probe_report *r)
{
	text_kernel(out, r);
	text_features(out, r);
	text_mechanisms(out, r);
}

static void json_string_or_null(struct strbuf *out, const char *s)
{
	if (s && *s)
		json_put_string(out, s);
	else
		sb_puts(out, "null");
}

static void json_int_or_null(struct strbuf *out, int v)
{
	if (v < 0)
		sb_puts(out, "null");
	else
		sb_printf(out, "%d", v);
}

static void json_kernel(struct strbuf *out, const struct kernel_info *k)
{
	sb_puts(out, "{\"release\":");
	json_string_or_null(out, k->release);
	sb_printf(out, ",\"btf\":%s,\"lockdown\":", k->btf ? "true" : "false");
	json_string_or_null(out, k->lockdown);
	sb_puts(out, ",\"lsm\":");
	if (k->lsm_known) {
		sb_putc(out, '[');
		for (size_t i = 0; i < k->n_lsm; i++) {
			if (i)
				sb_putc(out, ',');
			json_put_string(out, k->lsm[i]);
		}
		sb_putc(out, ']');
	} else {
		sb_puts(out, "null");
	}
	sb_printf(out, ",\"bpf_lsm_active\":%s",
		  k->bpf_lsm_active < 0 ? "null" : k->bpf_lsm_active ? "true" : "false");
	sb_puts(out, ",\"unprivileged_bpf_disabled\":");
	json_int_or_null(out, k->unprivileged_bpf_disabled);
	sb_puts(out, ",\"bpf_jit_enable\":");
	json_int_or_null(out, k->jit_enable);
	sb_puts(out, ",\"cgroup2_root\":");
	json_string_or_null(out, k->cgroup2_root);
	sb_puts(out, "}");
}

static void json_feature(struct strbuf *out, const struct probe_report *r, enum feature f)
{
	enum feature_state s = r->state[f];
	struct strbuf err = {0};

	sb_puts(out, "{\"name\":");
	json_put_string(out, feature_name(f));
	sb_printf(out, ",\"supported\":%s,\"attempt\":",
		  s == FEATURE_UNKNOWN ? "null" : s == FEATURE_YES ? "true" : "false");
	json_put_string(out, feature_attempt(f));
	sb_puts(out, ",\"used_for\":");
	json_put_string(out, feature_use(f));
	sb_puts(out, ",\"error\":");
	if (s == FEATURE_NO) {
		put_error(&err, r->err[f]);
		json_put_string(out, err.buf);
		sb_printf(out, ",\"errno\":%d,\"remedy\":", -r->err[f]);
		json_string_or_null(out, remedy(r, f));
	} else {
		sb_printf(out, "%s,\"errno\":null,\"remedy\":null",
			  s == FEATURE_UNKNOWN ? "\"needs root\"" : "null");
	}
	sb_putc(out, '}');
	sb_free(&err);
}

static void json_mechanisms(struct strbuf *out, const struct probe_report *r)
{
	sb_putc(out, '{');
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		const struct mechanism_plan *m = &r->plans.of[c];

		if (c)
			sb_putc(out, ',');
		json_put_string(out, hook_class_name(c));
		sb_puts(out, ":{\"mechanism\":");
		json_put_string(out, mechanism_plan_name(c, m));
		sb_printf(out, ",\"observe_only\":%s,\"detail\":", m->observe_only ? "true" : "false");
		json_put_string(out, m->detail);
		sb_putc(out, '}');
	}
	sb_putc(out, '}');
}

void probe_format_json(struct strbuf *out, const struct probe_report *r)
{
	sb_puts(out, "{\"kernel\":");
	json_kernel(out, &r->kernel);
	sb_printf(out, ",\"privileged\":%s,\"features\":[", r->kernel.privileged ? "true" : "false");
	for (int f = 0; f < FEAT_COUNT; f++) {
		if (f)
			sb_putc(out, ',');
		json_feature(out, r, f);
	}
	sb_puts(out, "],\"mechanisms\":");
	json_mechanisms(out, r);
	sb_puts(out, "}\n");
}
