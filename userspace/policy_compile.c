// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy compiler.
 *
 * COMPILED FORMAT (kernel/rtenf_policy.h has the structs)
 *
 * Each hook of a policy becomes one struct rtenf_hook_config, written into
 * the read-only data of its own copy of the generic program, plus the
 * entries of that copy's two maps.
 *
 *   args[]       one entry per value the program reads: the policy's args in
 *                order (flag EMIT: carried in events; a matchArgs index names
 *                the arg with that index, else the arg at that position, as
 *                in Tetragon), then hidden ones a char_buf needs for its
 *                length.  arg_origin says where the program finds them:
 *                RECORD (tracepoints, and syscall kprobes on kernels without
 *                kprobes: offset/size/is_signed from the format file, one
 *                helper call reads record_size bytes), REGS / SYSCALL_REGS
 *                (kprobes, uprobes: offset is the parameter number),
 *                CTX_ARRAY / SYSCALL_CTX (fentry, fexit, fmod_ret, LSM, raw
 *                tracepoints), SOCK_ADDR (cgroup socket programs).  source
 *                says whether a value is the value itself, a user pointer
 *                (syscalls, uprobes), a kernel pointer, or a __data_loc;
 *                file, path, fd and linux_binprm arguments are read as their
 *                path, sock and sockaddr as addresses and ports.
 *   ret_type     the return value's type for return: true hooks; ret_index
 *                where BTF contexts keep it (= number of parameters).
 *   filters[]    every filter of every selector, grouped by selector in
 *                policy order, each group sorted cheap-first: PID, NAMESPACE,
 *                BINARY, ARG_INT (arg RTENF_ARG_RETVAL: matchReturnArgs),
 *                ARG_NET, ARG_FILETYPE (FileType: S_IFMT bits of the
 *                inode, IN/NOT_IN), ARG_STR.  A selector without filters gets
 *                one ALWAYS filter.  The first group whose filters all hold
 *                is the matching selector.
 *   selectors[]  per selector its actions (Post, NoPost, Sigkill, Signal,
 *                Override with its errno) and their bit mask for events.
 *
 * Values never live in the config.  A filter with one value compares with
 * its imm (flag IMM); with more, it names a set_id (unique in the hook) and
 * its values are rows of value_sets (hash, key {set_id, value}):
 *
 *   PID, NAMESPACE   the number (host_ns: the inode of /proc/1/ns/<ns>)
 *   ARG_INT          the value widened as the argument's type says
 *   BINARY, ARG_STR  rtenf_hash() of the bytes, keyed with the node's
 *                    secret: lookups cost the same for any string length or
 *                    value count.  Binary values also add their canonical
 *                    path (realpath) so /bin/sh matches /usr/bin/dash on
 *                    merged-/usr systems.
 *
 * Prefix and Postfix values, and SAddr/DAddr CIDRs (IPv4 in set_id, IPv6
 * in set_id + 1), are rows of prefix_sets (LPM trie):
 * prefixlen = 32 + 8 * len, data = set_id (big endian) then the bytes;
 * Postfix stores the bytes reversed and the program reverses the tail of the
 * argument.  GT/LT keep their one value in imm; Mask ORs all values into
 * imm; SPortPriv/DPortPriv are LT 1024 on the port field.
 *
 * Integer ranges (InRange, NotInRange, and InMap/NotInMap or port operators
 * with a "min:max" value) are rows of range_sets (LPM trie, key {set_id,
 * value}, both big endian): each range is cut into the fewest aligned
 * power-of-two blocks (at most 126), prefixlen = 32 + the block's fixed
 * bits.  Signed arguments flip the sign bit on both sides (flag SIGNED), so
 * -5:5 is one unsigned interval.  InMap/NotInMap without ranges are the
 * value_sets of Equal/NotEqual.
 *
 * SubString / SubStringIgnCase (op SUBSTRING, flag NOCASE) compile all
 * values of a filter into one Aho-Corasick automaton, as value_sets rows
 * with data (compile_substring.c): in set_id, key (node << 8 | byte) ->
 * child | output << 31 | child's failure link << 32; in set_id + 1, key
 * node -> its failure link.  Node 0 is the root; an output flag means a
 * value ends at the node or on its failure chain.  imm 1: "" was listed.
 * The kernel walks the string once (at most 2 * len steps, bpf_loop).
 *
 * Besides the config, each compiled hook says how to attach it (mechanism,
 * symbol, exit tracepoint, cgroup socket programs): compile_kprobe.c has the
 * order of preference per hook family.
 *
 * Limits (checked here, with the number in the message): RTENF_MAX_SELECTORS
 * selectors and RTENF_MAX_FILTERS filters per hook, RTENF_MAX_ACTIONS actions
 * per selector, RTENF_MAX_ARGS arguments, RTENF_LPM_STR_MAX bytes per
 * Prefix/Postfix value, RTENF_SUBSTRING_MAX_BYTES bytes in all values of
 * one SubString filter.  Value counts are limited only by memory.
 */
#include "policy_compile.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "policy.h"
#include "regex_guard.h"
#include "util.h"

void prefix_key_make(struct rtenf_prefix_key *k, __u32 set_id, const char *s, size_t len)
{
	memset(k, 0, sizeof(*k));
	if (len > RTENF_LPM_STR_MAX)
		len = RTENF_LPM_STR_MAX;
	k->prefixlen = 32 + 8 * (__u32)len;
	k->data[0] = set_id >> 24;
	k->data[1] = set_id >> 16;
	k->data[2] = set_id >> 8;
	k->data[3] = set_id;
	memcpy(k->data + 4, s, len);
}

static void range_block(struct compiled_hook *h, __u32 set_id, __u64 start, unsigned bits)
{
	struct rtenf_range_key *k = VEC_PUSH(h->ranges, h->n_ranges);

	k->prefixlen = 32 + bits;
	k->set_id = htonl(set_id);
	k->value = htobe64(start);
}

void range_add(struct compiled_hook *h, __u32 set_id, __u64 lo, __u64 hi)
{
	for (;;) {
		/* the largest block that starts at lo and ends by hi */
		unsigned k = lo ? (unsigned)__builtin_ctzll(lo) : 64;
		__u64 last;

		if (k == 64 && hi == UINT64_MAX) {
			range_block(h, set_id, 0, 0);
			return;
		}
		if (k > 63)
			k = 63;
		while (k > 0 && (1ULL << k) - 1 > hi - lo)
			k--;
		range_block(h, set_id, lo, 64 - k);
		last = lo + ((1ULL << k) - 1);
		if (last >= hi)
			return;
		lo = last + 1;
	}
}

const char *hook_mechanism_name(enum hook_mechanism m)
{
	static const char *const names[] = {
		[MECH_TRACEPOINT] = "tracepoint",
		[MECH_RAW_TRACEPOINT] = "raw_tracepoint",
		[MECH_SYSCALL_TRACEPOINT] = "syscall tracepoint",
		[MECH_KPROBE] = "kprobe",
		[MECH_KPROBE_MULTI] = "kprobe.multi",
		[MECH_KPROBE_OVERRIDE] = "kprobe + bpf_override_return",
		[MECH_FENTRY] = "fentry",
		[MECH_FEXIT] = "fexit",
		[MECH_FMOD_RET] = "fmod_ret",
		[MECH_LSM] = "BPF LSM",
		[MECH_UPROBE] = "uprobe",
		[MECH_CGROUP_SOCK] = "cgroup socket programs",
	};

	return (unsigned)m < ARRAY_SIZE(names) && names[m] ? names[m] : "unknown";
}

bool kv_has(const struct hook_compiler *hc, enum feature f)
{
	return !hc->kv->has || hc->kv->has(hc->kv, f);
}

const char *remedy_of(enum feature f)
{
	const char *r = feature_remedy(f);

	return r ? r : "a newer kernel";
}

/* The functions a kprobe's call names: itself, or a spec.lists entry. */
static int call_targets(const struct policy *p, const struct policy_hook *h, const struct kernel_view *kv,
			struct diag_list *diags, char ***names, size_t *n, bool *syscall)
{
	const struct policy_list *list = NULL;
	int r = 0;

	*names = NULL;
	*n = 0;
	*syscall = h->syscall;
	if (strncmp(h->call, "list:", 5)) {
		*VEC_PUSH(*names, *n) = xstrdup(h->call);
		return 0;
	}
	for (size_t i = 0; i < p->n_lists; i++)
		if (!strcmp(p->lists[i].name, h->call + 5))
			list = &p->lists[i];
	if (!list) {
		diag_error(diags, p->file, h->call_loc, "no list named %s in spec.lists", h->call + 5);
		return -ENOENT;
	}
	if (list->type && (!strcmp(list->type, "syscalls") || !strcmp(list->type, "generated_syscalls")))
		*syscall = true;
	if (list->type && !strcmp(list->type, "generated_syscalls")) {
		r = kv->syscalls ? kv->syscalls(kv, names, n) : -ENODEV;
		if (r)
			diag_error(diags, p->file, list->type_loc, "cannot list this kernel's syscalls: %s", strerror(-r));
	} else if (list->type && !strcmp(list->type, "generated_ftrace")) {
		char why[200];

		if (regex_guard(list->pattern ? list->pattern : "", why, sizeof(why))) {
			diag_error(diags, p->file, list->pattern_loc, "pattern refused: %s", why);
			return -EINVAL;
		}
		r = kv->ftrace_functions ? kv->ftrace_functions(kv, list->pattern ? list->pattern : "", names, n) : -ENODEV;
		if (r)
			diag_error(diags, p->file, list->pattern_loc, "cannot list functions matching \"%s\": %s",
				   list->pattern ? list->pattern : "", strerror(-r));
	} else {
		for (size_t i = 0; i < list->values.n; i++)
			*VEC_PUSH(*names, *n) = xstrdup(list->values.v[i].text);
	}
	if (!r && *n == 0) {
		diag_error(diags, p->file, list->loc, "list %s names no function", list->name);
		r = -ENOENT;
	}
	return r;
}

static void compile_one(const struct policy *p, const struct policy_hook *h, const struct kernel_view *kv,
			struct diag_list *diags, struct compiled_hook *out, __u16 hook_id, const char *function,
			bool syscall, bool *kernel_checked)
{
	struct hook_compiler hc = {
		.p = p, .h = h, .kv = kv, .diags = diags, .out = out, .next_set_id = 1,
		.function = function, .syscall = syscall,
	};
	size_t errors_before = diag_count_errors(diags);

	out->kind = h->kind;
	out->cfg.hook_id = hook_id;
	out->message = h->message ? xstrdup(h->message) : NULL;
	for (size_t i = 0; i < h->n_tags; i++)
		*VEC_PUSH(out->tags, out->n_tags) = xstrdup(h->tags[i]);
	for (size_t i = 0; i < h->n_selectors && i < RTENF_MAX_SELECTORS; i++)
		out->selector_labels[i] = h->selectors[i].label ? xstrdup(h->selectors[i].label) : NULL;
	switch (h->kind) {
	case POLICY_HOOK_TRACEPOINT:
		compile_tracepoint(&hc);
		break;
	case POLICY_HOOK_KPROBE:
		compile_kprobe(&hc);
		break;
	case POLICY_HOOK_LSM:
		compile_lsm(&hc);
		break;
	case POLICY_HOOK_UPROBE:
		compile_uprobe(&hc);
		break;
	}
	/* A hook rejected for its own reasons says nothing about whether the
	 * kernel could be read: the note about it would only be noise. */
	if (diag_count_errors(diags) == errors_before) {
		if ((h->kind == POLICY_HOOK_TRACEPOINT || out->mechanism == MECH_SYSCALL_TRACEPOINT) && !hc.have_fmt &&
		    !h->raw)
			*kernel_checked = false;
		/* data paths are checked in the kernel's BTF too */
		if (!kv->btf && (h->kind != POLICY_HOOK_TRACEPOINT || h->n_data))
			*kernel_checked = false;
	}
	tp_format_free(&hc.fmt);
}

/* Limits of the whole agent that one policy alone can already break:
 * followChildren filters own one of RTENF_FOLLOW_SETS bits each (per
 * compiled hook, so a kprobe list counts once per function), and their
 * binaries share follow_bins. */
struct policy_totals {
	size_t follow_sets;
	size_t follow_binaries;
	bool reported;
};

static void count_follow(const struct policy *p, const struct policy_hook *h, const struct compiled_hook *out,
			 struct diag_list *diags, struct policy_totals *t)
{
	for (unsigned i = 0; i < out->cfg.nfilters && i < RTENF_MAX_FILTERS; i++) {
		const struct rtenf_filter *f = &out->cfg.filters[i];

		if (f->kind != RTENF_FILTER_BINARY || !(f->flags & RTENF_FILTER_F_FOLLOW_CHILDREN))
			continue;
		t->follow_sets++;
		t->follow_binaries += f->flags & RTENF_FILTER_F_IMM ? 1 : 0;
		for (size_t j = 0; j < out->n_values; j++)
			t->follow_binaries += out->values[j].set_id == f->set_id;
	}
	if (t->reported)
		return;
	if (t->follow_sets > RTENF_FOLLOW_SETS) {
		diag_error(diags, p->file, h->loc, "too many matchBinaries followChildren filters: %zu (one per hook "
			   "and function), at most %d loaded at once, all policies together", t->follow_sets,
			   RTENF_FOLLOW_SETS);
		t->reported = true;
	} else if (t->follow_binaries > RTENF_FOLLOW_BINARIES) {
		diag_error(diags, p->file, h->loc, "too many followChildren binaries: %zu, at most %d listed at once, all "
			   "policies together", t->follow_binaries, RTENF_FOLLOW_BINARIES);
		t->reported = true;
	}
}

static struct compiled_hook *new_hook(struct compiled_policy *cp)
{
	return VEC_PUSH(cp->hooks, cp->n_hooks);
}

struct compiled_policy *policy_compile(const struct policy *p, const struct kernel_view *kv, struct diag_list *diags)
{
	struct compiled_policy *cp = xcalloc(1, sizeof(*cp));
	size_t errors = diag_count_errors(diags);
	struct policy_totals totals = {0};

	cp->name = xstrdup(p->name);
	cp->file = xstrdup(p->file ? p->file : "<input>");
	cp->mode = p->mode;
	cp->kernel_checked = true; /* cleared when formats or BTF cannot be read */
	if (p->n_hooks == 0)
		diag_error(diags, p->file, p->loc, "policy %s has no hooks: add spec.tracepoints, kprobes, lsmhooks or uprobes",
			   p->name);
	for (size_t i = 0; i < p->n_hooks; i++) {
		const struct policy_hook *h = &p->hooks[i];
		char **names = NULL;
		size_t n = 0;
		bool syscall = h->syscall;

		if (h->kind == POLICY_HOOK_KPROBE) {
			if (call_targets(p, h, kv, diags, &names, &n, &syscall))
				continue;
		} else if (h->kind == POLICY_HOOK_UPROBE) {
			for (size_t s = 0; s < h->n_symbols; s++)
				*VEC_PUSH(names, n) = xstrdup(h->symbols[s]);
		} else {
			*VEC_PUSH(names, n) = NULL;
		}
		/* a list or a symbol list is one compiled hook per function */
		for (size_t f = 0; f < n; f++) {
			struct compiled_hook *out = new_hook(cp);

			compile_one(p, h, kv, diags, out, (__u16)(cp->n_hooks - 1), names[f], syscall, &cp->kernel_checked);
			count_follow(p, h, out, diags, &totals);
			free(names[f]);
		}
		free(names);
	}
	compile_scope(p, kv, diags, cp);
	if (diag_count_errors(diags) > errors) {
		compiled_policy_free(cp);
		return NULL;
	}
	return cp;
}

void compiled_policy_free(struct compiled_policy *cp)
{
	if (!cp)
		return;
	for (size_t i = 0; i < cp->n_hooks; i++) {
		struct compiled_hook *h = &cp->hooks[i];

		free(h->subsystem);
		free(h->event);
		free(h->exit_event);
		free(h->function);
		free(h->attach);
		free(h->binary);
		free(h->values);
		free(h->value_data);
		free(h->prefixes);
		free(h->ranges);
		for (size_t j = 0; j < h->n_emitted; j++)
			free(h->emitted[j].label);
		free(h->emitted);
		free(h->message);
		for (size_t j = 0; j < h->n_tags; j++)
			free(h->tags[j]);
		free(h->tags);
		for (size_t j = 0; j < RTENF_MAX_SELECTORS; j++)
			free(h->selector_labels[j]);
	}
	free(cp->hooks);
	compiled_scope_free(&cp->scope);
	free(cp->name);
	free(cp->file);
	free(cp);
}
