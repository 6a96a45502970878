// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selectors, filters, values and actions: the part of compiling that is the
 * same for every hook family (see policy_compile.c for the format).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compile_internal.h"
#include "names.h"
#include "policy.h"
#include "syscall_names.h"
#include "util.h"

void add_value_data(struct compiled_hook *out, __u32 set_id, __u64 v, __u64 data)
{
	struct rtenf_value_key *k = VEC_PUSH(out->values, out->n_values);

	k->set_id = set_id;
	k->value = v;
	out->value_data = vec_room_for_one(out->value_data, out->n_values - 1, sizeof(*out->value_data));
	out->value_data[out->n_values - 1] = data;
}

void add_value(struct compiled_hook *out, __u32 set_id, __u64 v)
{
	add_value_data(out, set_id, v, 1);
}

static __u64 hash_str(const struct kernel_view *kv, const char *s)
{
	return rtenf_hash((const __u8 *)s, (__u32)strlen(s), &kv->key);
}

bool hook_has_action(const struct policy_hook *h, enum policy_action_kind k)
{
	for (size_t s = 0; s < h->n_selectors; s++)
		for (size_t a = 0; a < h->selectors[s].n_actions; a++)
			if (h->selectors[s].actions[a].kind == k)
				return true;
	return false;
}

static bool is_net_op(enum policy_op op)
{
	return op >= POP_SPORT && op <= POP_STATE;
}

/* ---- argument types ----------------------------------------------------- */

bool is_string_type(enum rtenf_arg_type t)
{
	switch (t) {
	case RTENF_ARG_STRING:
	case RTENF_ARG_CHAR_BUF:
	case RTENF_ARG_FILE:
	case RTENF_ARG_PATH:
	case RTENF_ARG_FILENAME:
	case RTENF_ARG_LINUX_BINPRM:
	case RTENF_ARG_FD:
	case RTENF_ARG_EXEC_ARGS:
		return true;
	default:
		return false;
	}
}

bool is_net_type(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_SOCK || t == RTENF_ARG_SOCKADDR || t == RTENF_ARG_SKB;
}

bool is_int_type(enum rtenf_arg_type t)
{
	switch (t) {
	case RTENF_ARG_INT:
	case RTENF_ARG_UINT32:
	case RTENF_ARG_INT64:
	case RTENF_ARG_UINT64:
	case RTENF_ARG_SIZE_T:
	case RTENF_ARG_CAPS:
	case RTENF_ARG_SYSCALL64:
		return true;
	default:
		return false;
	}
}

bool is_signed_type(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_INT || t == RTENF_ARG_INT64;
}

const char *rtenf_arg_type_name(enum rtenf_arg_type t)
{
	switch (t) {
	case RTENF_ARG_INT:
		return "int";
	case RTENF_ARG_UINT32:
		return "uint32";
	case RTENF_ARG_INT64:
		return "int64";
	case RTENF_ARG_UINT64:
		return "uint64";
	case RTENF_ARG_SIZE_T:
		return "size_t";
	case RTENF_ARG_STRING:
		return "string";
	case RTENF_ARG_CHAR_BUF:
		return "char_buf";
	case RTENF_ARG_FD:
		return "fd";
	case RTENF_ARG_FILE:
		return "file";
	case RTENF_ARG_PATH:
		return "path";
	case RTENF_ARG_FILENAME:
		return "filename";
	case RTENF_ARG_LINUX_BINPRM:
		return "linux_binprm";
	case RTENF_ARG_SOCK:
		return "sock";
	case RTENF_ARG_SOCKADDR:
		return "sockaddr";
	case RTENF_ARG_CRED:
		return "cred";
	case RTENF_ARG_CAPS:
		return "capabilities";
	case RTENF_ARG_EXEC_ARGS:
		return "exec_args";
	case RTENF_ARG_SYSCALL64:
		return "syscall64";
	case RTENF_ARG_SKB:
		return "skb";
	default:
		return "none";
	}
}

enum rtenf_arg_type map_arg_type(enum policy_arg_type t)
{
	switch (t) {
	case PARG_INT:
	case PARG_INT32:
		return RTENF_ARG_INT;
	case PARG_UINT32:
		return RTENF_ARG_UINT32;
	case PARG_INT64:
		return RTENF_ARG_INT64;
	case PARG_UINT64:
		return RTENF_ARG_UINT64;
	case PARG_SIZE_T:
		return RTENF_ARG_SIZE_T;
	case PARG_STRING:
		return RTENF_ARG_STRING;
	case PARG_CHAR_BUF:
		return RTENF_ARG_CHAR_BUF;
	case PARG_FD:
		return RTENF_ARG_FD;
	case PARG_FILE:
		return RTENF_ARG_FILE;
	case PARG_PATH:
		return RTENF_ARG_PATH;
	case PARG_FILENAME:
		return RTENF_ARG_FILENAME;
	case PARG_LINUX_BINPRM:
		return RTENF_ARG_LINUX_BINPRM;
	case PARG_SOCK:
		return RTENF_ARG_SOCK;
	case PARG_SOCKADDR:
		return RTENF_ARG_SOCKADDR;
	case PARG_CRED:
		return RTENF_ARG_CRED;
	case PARG_CAP_INHERITABLE:
	case PARG_CAP_PERMITTED:
	case PARG_CAP_EFFECTIVE:
	case PARG_KERNEL_CAP_T:
		return RTENF_ARG_CAPS;
	case PARG_EXEC_ARGS:
		return RTENF_ARG_EXEC_ARGS;
	case PARG_SYSCALL64:
		return RTENF_ARG_SYSCALL64;
	case PARG_SKB:
		return RTENF_ARG_SKB;
	case PARG_AUTO:
		break;
	}
	return RTENF_ARG_NONE;
}

/* ---- values ------------------------------------------------------------- */

static bool parse_u64(const char *s, __u64 *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool parse_s64(const char *s, __s64 *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 0);
	return !errno && !*end;
}

/* "CAP_SYS_ADMIN" (any case, as Tetragon) as its bit in a capability set. */
bool capability_value(const char *s, __u64 *out)
{
	for (unsigned cap = 0; cap < 64 && capability_name(cap); cap++)
		if (!strcasecmp(s, capability_name(cap))) {
			*out = 1ULL << cap;
			return true;
		}
	return false;
}

/* A value for an integer argument, widened the way the program widens the
 * argument (see arg_int() in kernel/hook.bpf.h); a capability argument's
 * value may be a capability's name. */
static bool int_value(struct hook_compiler *hc, enum rtenf_arg_type t, const struct policy_value *v, __u64 *out)
{
	__u64 u;
	__s64 s;

	switch (t) {
	case RTENF_ARG_INT:
	case RTENF_ARG_FD:
		if (parse_s64(v->text, &s) && s >= INT32_MIN && s <= (__s64)UINT32_MAX) {
			*out = (__u64)(__s64)(__s32)(__u32)s;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not a 32-bit integer", v->text);
		return false;
	case RTENF_ARG_UINT32:
		if (parse_u64(v->text, &u) && u <= UINT32_MAX) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not an unsigned 32-bit integer", v->text);
		return false;
	case RTENF_ARG_INT64:
		if (parse_s64(v->text, &s)) {
			*out = (__u64)s;
			return true;
		}
		if (parse_u64(v->text, &u)) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not a 64-bit integer", v->text);
		return false;
	case RTENF_ARG_CAPS:
		if (capability_value(v->text, out))
			return true;
		if (parse_u64(v->text, &u)) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not a capability (CAP_SYS_ADMIN, ...) or a 64-bit capability set", v->text);
		return false;
	case RTENF_ARG_SYSCALL64: {
		uint64_t nr;

		if (syscall_number(v->text, &nr)) {
			*out = nr;
			return true;
		}
		if (parse_u64(v->text, &u) && u <= UINT32_MAX) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "unknown syscall \"%s\": write a syscall of this architecture (\"dup\" or \"sys_dup\") "
		    "or its number", v->text);
		return false;
	}
	default:
		if (parse_u64(v->text, &u)) {
			*out = u;
			return true;
		}
		if (parse_s64(v->text, &s)) {
			*out = (__u64)s;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not an unsigned 64-bit integer", v->text);
		return false;
	}
}

static bool parse_u32_value(struct hook_compiler *hc, const struct policy_value *v, const char *what, __u32 *out)
{
	__u64 u;

	if (parse_u64(v->text, &u) && u <= UINT32_MAX) {
		*out = (__u32)u;
		return true;
	}
	ERR(hc, v->loc, "\"%s\" is not a valid %s", v->text, what);
	return false;
}

/* "min:max" (or, where allowed, one value) for an integer argument of type
 * t, widened as int_value() widens.  *lo and *hi come back in the order
 * the matcher compares in: the sign bit flipped for signed types. */
static bool range_value(struct hook_compiler *hc, enum rtenf_arg_type t, bool is_signed, const struct policy_value *v,
			bool need_colon, __u64 *lo, __u64 *hi)
{
	const char *colon = strchr(v->text, ':');
	struct policy_value part = {.loc = v->loc};
	bool ok;

	if ((need_colon && !colon) || (colon && strchr(colon + 1, ':'))) {
		ERR(hc, v->loc, "\"%s\" is not a range; write min:max (e.g. 1000:1999)", v->text);
		return false;
	}
	if (!colon) {
		if (!int_value(hc, t, v, lo))
			return false;
		*hi = *lo;
	} else {
		part.text = xstrndup(v->text, (size_t)(colon - v->text));
		ok = int_value(hc, t, &part, lo);
		free(part.text);
		part.text = xstrdup(colon + 1);
		ok = ok && int_value(hc, t, &part, hi);
		free(part.text);
		if (!ok)
			return false;
	}
	if (is_signed) {
		*lo ^= RTENF_RANGE_SIGN_FLIP;
		*hi ^= RTENF_RANGE_SIGN_FLIP;
	}
	if (*lo > *hi) {
		ERR(hc, v->loc, "\"%s\" is an empty range: its minimum is above its maximum; write min:max", v->text);
		return false;
	}
	return true;
}

static bool has_range_value(const struct policy_value_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (strchr(l->v[i].text, ':'))
			return true;
	return false;
}

#define LIST_VALUE_PREFIX "list:"

static bool is_list_value(const struct policy_value *v)
{
	return !strncmp(v->text, LIST_VALUE_PREFIX, strlen(LIST_VALUE_PREFIX));
}

/* As Tetragon, "list:NAME" values are for syscall64 arguments only: say so
 * rather than take one for a range. */
static bool reject_list_values(struct hook_compiler *hc, const struct policy_match_args *m, enum rtenf_arg_type t)
{
	bool bad = false;

	for (size_t i = 0; i < m->values.n; i++)
		if (is_list_value(&m->values.v[i])) {
			if (t == RTENF_ARG_SYSCALL64)
				ERR(hc, m->values.v[i].loc, "list: values are for Equal, NotEqual, InMap and NotInMap, "
				    "not %s", policy_op_name(m->op));
			else
				ERR(hc, m->values.v[i].loc, "list: values are for syscall64 arguments; argument %u is %s",
				    m->index, rtenf_arg_type_name(t));
			bad = true;
		}
	return bad;
}

static const struct policy_list *find_list(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->n_lists; i++)
		if (p->lists[i].name && !strcmp(p->lists[i].name, name))
			return &p->lists[i];
	return NULL;
}

static void push_value(struct policy_value_list *out, const char *text, struct src_loc loc)
{
	struct policy_value *v = VEC_PUSH(out->v, out->n);

	v->text = xstrdup(text);
	v->loc = loc;
}

static void free_values(struct policy_value_list *l)
{
	for (size_t i = 0; l && i < l->n; i++)
		free(l->v[i].text);
	if (l)
		free(l->v);
	free(l);
}

/* The operators whose values may name syscalls and syscall lists. */
static bool takes_syscall_lists(enum policy_op op)
{
	return op == POP_EQUAL || op == POP_NOT_EQUAL || op == POP_IN_MAP || op == POP_NOT_IN_MAP;
}

/* The syscalls of "list:NAME" (the value at v) appended to out: a syscalls
 * list's names, or every syscall of this architecture for
 * generated_syscalls.  Other lists hold kernel functions, not syscalls. */
static void expand_syscall_list(struct hook_compiler *hc, const struct policy_value *v, struct policy_value_list *out)
{
	const char *name = v->text + strlen(LIST_VALUE_PREFIX);
	const struct policy_list *l = find_list(hc->p, name);

	if (!l) {
		ERR(hc, v->loc, "no list named \"%s\" in spec.lists", name);
		return;
	}
	if (l->type && !strcmp(l->type, "generated_syscalls")) {
		for (size_t i = 0; i < syscall_count(); i++)
			if (syscall_name_at(i))
				push_value(out, syscall_name_at(i), v->loc);
		return;
	}
	if (!l->type || strcmp(l->type, "syscalls")) {
		ERR(hc, v->loc, "list \"%s\" is of type %s: a syscall64 argument takes lists of type syscalls or "
		    "generated_syscalls", name, l->type && *l->type ? l->type : "plain (kernel functions)");
		return;
	}
	for (size_t i = 0; i < l->values.n; i++)
		push_value(out, l->values.v[i].text, l->values.v[i].loc);
}

/* m's values with every "list:NAME" replaced by the list's syscalls.  A
 * list that cannot be used is reported and left out, so that the other
 * values are still checked. */
static struct policy_value_list *syscall_values(struct hook_compiler *hc, const struct policy_match_args *m)
{
	struct policy_value_list *out = xcalloc(1, sizeof(*out));

	out->loc = m->values.loc;
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];

		if (is_list_value(v))
			expand_syscall_list(hc, v, out);
		else
			push_value(out, v->text, v->loc);
	}
	return out;
}

/* ---- filters ------------------------------------------------------------ */

struct filter_builder {
	struct rtenf_filter f;
	__u64 first;
	size_t n;
};

static struct rtenf_filter *new_filter(struct hook_compiler *hc, __u8 sel, __u8 kind, struct src_loc loc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	struct rtenf_filter *f;

	if (cfg->nfilters >= RTENF_MAX_FILTERS) {
		if (cfg->nfilters == RTENF_MAX_FILTERS)
			ERR(hc, loc, "too many filters in this hook: at most %d across all its selectors",
			    RTENF_MAX_FILTERS);
		cfg->nfilters++;
		return NULL;
	}
	f = &cfg->filters[cfg->nfilters++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->selector = sel;
	return f;
}

/* Starts a value set for f; values go through set_add, then set_finish
 * turns a one-value set into an immediate. */
static void set_begin(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b)
{
	memset(b, 0, sizeof(*b));
	f->set_id = hc->next_set_id++;
}

static void set_add(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b, __u64 v)
{
	/* the first value waits: if it stays alone it becomes imm */
	if (b->n == 0) {
		b->first = v;
	} else {
		if (b->n == 1)
			add_value(hc->out, f->set_id, b->first);
		add_value(hc->out, f->set_id, v);
	}
	b->n++;
}

static void set_finish(struct rtenf_filter *f, struct filter_builder *b)
{
	if (b->n == 1) {
		f->flags |= RTENF_FILTER_F_IMM;
		f->imm = b->first;
	}
}

static bool op_in_notin(struct hook_compiler *hc, enum policy_op op, struct src_loc loc, const char *what)
{
	if (op == POP_IN || op == POP_NOT_IN)
		return true;
	ERR(hc, loc, "%s operator must be In or NotIn, not %s", what, policy_op_name(op));
	return false;
}

static void compile_pids(struct hook_compiler *hc, __u8 sel, const struct policy_match_pids *m)
{
	struct filter_builder b;
	struct rtenf_filter *f;

	if (!op_in_notin(hc, m->op, m->op_loc, "matchPIDs"))
		return;
	f = new_filter(hc, sel, RTENF_FILTER_PID, m->loc);
	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	if (m->follow_forks)
		f->flags |= RTENF_FILTER_F_FOLLOW_FORKS;
	if (m->is_namespace_pid)
		f->flags |= RTENF_FILTER_F_NS_PID;
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		__u32 pid;

		if (parse_u32_value(hc, &m->values.v[i], "pid", &pid))
			set_add(hc, f, &b, pid);
	}
	set_finish(f, &b);
}

static void compile_namespaces(struct hook_compiler *hc, __u8 sel, const struct policy_match_namespaces *m)
{
	struct filter_builder b;
	struct rtenf_filter *f;

	if (!op_in_notin(hc, m->op, m->op_loc, "matchNamespaces"))
		return;
	f = new_filter(hc, sel, RTENF_FILTER_NAMESPACE, m->loc);
	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	f->arg = (__u8)m->ns; /* enum policy_ns has enum rtenf_ns's order */
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		__u32 inum;

		if (!strcmp(v->text, "host_ns")) {
			int r = hc->kv->host_ns ? hc->kv->host_ns(hc->kv, (enum rtenf_ns)m->ns, &inum) : -ENOSYS;

			if (r && hc->kv->offline) {
				inum = 0; /* validate without privileges: nothing to compare with */
			} else if (r == -ENOENT && (m->ns == PNS_TIME || m->ns == PNS_TIME_FOR_CHILDREN)) {
				ERR(hc, v->loc, "this kernel has no time namespaces (CONFIG_TIME_NS)");
				continue;
			} else if (r) {
				/* never guess: a wrong host_ns would make NotIn match everything */
				ERR(hc, v->loc, "cannot determine the host's %s namespace: %s", policy_ns_name(m->ns),
				    strerror(-r));
				continue;
			}
		} else if (!parse_u32_value(hc, v, "namespace inode number (or host_ns)", &inum)) {
			continue;
		}
		set_add(hc, f, &b, inum);
	}
	set_finish(f, &b);
}

/* The host's user namespace, for isNamespaceCapability; false after an
 * error.  Offline (no kernel to ask) it is 0, which no task has. */
static bool host_userns(struct hook_compiler *hc, struct src_loc loc, __u32 *inum)
{
	int r = hc->kv->host_ns ? hc->kv->host_ns(hc->kv, RTENF_NS_USER, inum) : -ENOSYS;

	if (r && hc->kv->offline) {
		*inum = 0;
		return true;
	}
	if (r) {
		ERR(hc, loc, "cannot determine the host's user namespace for isNamespaceCapability: %s", strerror(-r));
		return false;
	}
	return true;
}

/* matchCapabilities (changes false) and matchCapabilityChanges: all values
 * ORed into one mask. */
static void compile_caps(struct hook_compiler *hc, __u8 sel, const struct policy_match_caps *m, bool changes)
{
	struct rtenf_filter *f = new_filter(hc, sel, changes ? RTENF_FILTER_CAPS_CHANGE : RTENF_FILTER_CAPS, m->loc);
	__u32 userns = 0;

	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	f->arg = (__u8)m->type; /* enum policy_caps_type has RTENF_CAPS_*'s values */
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		char *name = xstrdup(v->text + strspn(v->text, " \t"));
		__u64 bit;

		name[strcspn(name, " \t")] = '\0';
		if (capability_value(name, &bit))
			f->imm |= bit;
		else
			ERR(hc, v->loc, "\"%s\" is not a capability; use the names of capabilities(7), e.g. CAP_SYS_ADMIN",
			    v->text);
		free(name);
	}
	if (m->is_namespace_capability && host_userns(hc, m->loc, &userns)) {
		f->flags |= RTENF_FILTER_F_NS_CAPS;
		f->aux = userns;
	}
	if (changes)
		hc->out->cfg.selectors[sel].flags |= RTENF_SEL_F_REBASE_CAPS;
}

/* matchNamespaceChanges: the namespaces by name, any case (as Tetragon). */
static void compile_ns_changes(struct hook_compiler *hc, __u8 sel, const struct policy_match_ns_changes *m)
{
	struct rtenf_filter *f = new_filter(hc, sel, RTENF_FILTER_NS_CHANGE, m->loc);

	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		unsigned ns;

		for (ns = 0; ns < RTENF_NS_COUNT; ns++)
			if (!strcasecmp(v->text, policy_ns_name((enum policy_ns)ns)))
				break;
		if (ns == RTENF_NS_COUNT) {
			ERR(hc, v->loc, "\"%s\" is not a namespace; use Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time, "
			    "TimeForChildren, Cgroup or User", v->text);
			continue;
		}
		f->imm |= 1ULL << ns;
	}
	hc->out->cfg.selectors[sel].flags |= RTENF_SEL_F_REBASE_NS;
}

/* The canonical form of a binary value on the agent's host.  follow_link
 * (In): the whole path, a symlink at the end followed to its target, so a
 * deny list also catches the file the link runs.  Otherwise (NotIn) only the
 * directory: an allow list must not admit a link's target, which may be a
 * multi-call binary (where busybox provides passwd, /usr/bin/passwd links to
 * /bin/busybox: every applet would be allowed, in containers too). */
static char *binary_canonical(struct hook_compiler *hc, const char *path, bool follow_link)
{
	const char *slash = strrchr(path, '/');
	char *dir, *canon_dir, *canon = NULL;

	if (!hc->kv->canonical_path)
		return NULL;
	if (follow_link)
		return hc->kv->canonical_path(hc->kv, path);
	if (!slash || slash == path)
		return NULL; /* a name in / (whose canonical form is itself) */
	dir = xstrndup(path, (size_t)(slash - path));
	canon_dir = hc->kv->canonical_path(hc->kv, dir);
	if (canon_dir)
		canon = xasprintf("%s%s", strcmp(canon_dir, "/") ? canon_dir : "", slash);
	free(canon_dir);
	free(dir);
	return canon;
}

static void add_binary_value(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b,
			     const char *path, bool follow_link)
{
	char *canon = binary_canonical(hc, path, follow_link);

	set_add(hc, f, b, hash_str(hc->kv, path));
	if (canon && strcmp(canon, path))
		set_add(hc, f, b, hash_str(hc->kv, canon));
	free(canon);
}

/* A Prefix / Postfix value as an LPM row of set set_id (postfixes
 * reversed, as the kernel keeps a binary's last bytes). */
static void add_affix_value(struct hook_compiler *hc, __u32 set_id, const char *s, bool reversed)
{
	size_t len = strlen(s);
	char tmp[RTENF_LPM_STR_MAX];

	for (size_t j = 0; j < len; j++)
		tmp[j] = reversed ? s[len - 1 - j] : s[j];
	prefix_key_make(VEC_PUSH(hc->out->prefixes, hc->out->n_prefixes), set_id, tmp, len);
}

/* A directory prefix ("/bin/") also matches through its canonical form
 * ("/usr/bin/" on merged-/usr systems), as In values do. */
static void add_binary_prefix(struct hook_compiler *hc, __u32 set_id, const char *s)
{
	size_t len = strlen(s);
	char *dir, *canon = NULL;

	add_affix_value(hc, set_id, s, false);
	if (len < 2 || s[0] != '/' || s[len - 1] != '/' || !hc->kv->canonical_path)
		return;
	dir = xstrndup(s, len - 1);
	canon = hc->kv->canonical_path(hc->kv, dir);
	if (canon && strcmp(canon, dir) && strlen(canon) + 1 <= RTENF_LPM_STR_MAX) {
		char *with_slash = xasprintf("%s/", canon);

		add_affix_value(hc, set_id, with_slash, false);
		free(with_slash);
	}
	free(canon);
	free(dir);
}

/* matchBinaries (parent false) and matchParentBinaries. */
static void compile_binaries(struct hook_compiler *hc, __u8 sel, const struct policy_match_binaries *m, bool parent)
{
	const char *what = parent ? "matchParentBinaries" : "matchBinaries";
	struct filter_builder b;
	struct rtenf_filter *f;
	bool affix = m->op != POP_IN && m->op != POP_NOT_IN;

	f = new_filter(hc, sel, RTENF_FILTER_BINARY, m->loc);
	if (!f)
		return;
	f->arg = parent;
	switch (m->op) {
	case POP_IN:
	case POP_NOT_IN:
		f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		break;
	case POP_PREFIX:
	case POP_NOT_PREFIX:
		f->op = m->op == POP_PREFIX ? RTENF_FOP_PREFIX : RTENF_FOP_NOT_PREFIX;
		break;
	case POP_POSTFIX:
	case POP_NOT_POSTFIX:
		f->op = m->op == POP_POSTFIX ? RTENF_FOP_POSTFIX : RTENF_FOP_NOT_POSTFIX;
		break;
	default:
		ERR(hc, m->op_loc, "%s operator must be In, NotIn, Prefix, NotPrefix, Postfix or NotPostfix, not %s", what,
		    policy_op_name(m->op));
		return;
	}
	if (affix) {
		f->set_id = hc->next_set_id++;
		for (size_t i = 0; i < m->values.n; i++) {
			const struct policy_value *v = &m->values.v[i];

			if (strlen(v->text) > RTENF_LPM_STR_MAX) {
				ERR(hc, v->loc, "%s %s value is %zu bytes; the limit is %d", what, policy_op_name(m->op),
				    strlen(v->text), RTENF_LPM_STR_MAX);
				continue;
			}
			if (m->op == POP_PREFIX || m->op == POP_NOT_PREFIX)
				add_binary_prefix(hc, f->set_id, v->text);
			else
				add_affix_value(hc, f->set_id, v->text, true);
		}
		return;
	}
	set_begin(hc, f, &b);
	if (m->follow_children) {
		/* set_id + 1 holds the follow set's bit, written at load */
		f->flags |= RTENF_FILTER_F_FOLLOW_CHILDREN;
		hc->next_set_id++;
	}
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];

		if (strlen(v->text) >= RTENF_PATH_MAX) {
			ERR(hc, v->loc, "binary path is %zu bytes; the longest path is %d", strlen(v->text),
			    RTENF_PATH_MAX - 1);
			continue;
		}
		add_binary_value(hc, f, &b, v->text, m->op == POP_IN);
	}
	set_finish(f, &b);
}

static void compile_arg_int_values(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	struct filter_builder b;
	__u64 v;

	f->kind = RTENF_FILTER_ARG_INT;
	if (is_signed_type(t))
		f->flags |= RTENF_FILTER_F_SIGNED;
	switch (m->op) {
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		f->op = m->op == POP_EQUAL ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++)
			if (int_value(hc, t, &m->values.v[i], &v))
				set_add(hc, f, &b, v);
		set_finish(f, &b);
		return;
	case POP_GT:
	case POP_LT:
		f->op = m->op == POP_GT ? RTENF_FOP_GT : RTENF_FOP_LT;
		if (m->values.n != 1) {
			ERR(hc, m->values.loc, "%s takes exactly one value, not %zu", policy_op_name(m->op), m->values.n);
			return;
		}
		if (int_value(hc, t, &m->values.v[0], &v))
			f->imm = v;
		return;
	case POP_MASK:
		f->op = RTENF_FOP_MASK;
		for (size_t i = 0; i < m->values.n; i++)
			if (int_value(hc, t, &m->values.v[i], &v))
				f->imm |= v;
		return;
	case POP_IN_MAP:
	case POP_NOT_IN_MAP:
	case POP_IN_RANGE:
	case POP_NOT_IN_RANGE: {
		bool ranges = m->op == POP_IN_RANGE || m->op == POP_NOT_IN_RANGE;
		bool in = m->op == POP_IN_MAP || m->op == POP_IN_RANGE;
		bool is_signed = is_signed_type(t) || t == RTENF_ARG_FD;
		__u64 lo, hi;

		if (t == RTENF_ARG_CAPS) {
			ERR(hc, m->op_loc, "operator %s needs an integer argument; argument %u is %s", policy_op_name(m->op),
			    m->index, rtenf_arg_type_name(t));
			return;
		}
		if (!ranges && !has_range_value(&m->values)) {
			/* plain values: the hash set Equal uses */
			f->op = in ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
			set_begin(hc, f, &b);
			for (size_t i = 0; i < m->values.n; i++)
				if (int_value(hc, t, &m->values.v[i], &v))
					set_add(hc, f, &b, v);
			set_finish(f, &b);
			return;
		}
		f->op = in ? RTENF_FOP_IN_RANGE : RTENF_FOP_NOT_IN_RANGE;
		if (is_signed)
			f->flags |= RTENF_FILTER_F_SIGNED;
		f->set_id = hc->next_set_id++;
		for (size_t i = 0; i < m->values.n; i++)
			if (range_value(hc, t, is_signed, &m->values.v[i], ranges, &lo, &hi))
				range_add(hc->out, f->set_id, lo, hi);
		return;
	}
	default:
		if (is_net_op(m->op)) {
			ERR(hc, m->op_loc, "operator %s needs a sock, sockaddr or skb argument; argument %u is %s",
			    policy_op_name(m->op), m->index, rtenf_arg_type_name(t));
			return;
		}
		ERR(hc, m->op_loc, "operator %s needs a string argument; argument %u is %s", policy_op_name(m->op),
		    m->index, rtenf_arg_type_name(t));
	}
}

/* A syscall64 argument's values may be "list:NAME": the filter is compiled
 * over the list's syscalls. */
static void compile_arg_int(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	struct policy_match_args expanded;
	struct policy_value_list *values;

	if (t != RTENF_ARG_SYSCALL64 || !takes_syscall_lists(m->op)) {
		if (!reject_list_values(hc, m, t))
			compile_arg_int_values(hc, f, m, t);
		return;
	}
	values = syscall_values(hc, m);
	expanded = *m;
	expanded.values = *values;
	compile_arg_int_values(hc, f, &expanded, t);
	free_values(values);
}

static void compile_arg_str(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	struct filter_builder b;
	bool reversed;

	f->kind = RTENF_FILTER_ARG_STR;
	if (t == RTENF_ARG_CHAR_BUF) {
		ERR(hc, m->op_loc, "not supported yet: matchArgs on a char_buf argument");
		return;
	}
	switch (m->op) {
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		f->op = m->op == POP_EQUAL ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++) {
			const char *s = m->values.v[i].text;

			if (strlen(s) >= RTENF_PATH_MAX) {
				ERR(hc, m->values.v[i].loc, "value is %zu bytes; strings are compared up to %d", strlen(s),
				    RTENF_PATH_MAX - 1);
				continue;
			}
			set_add(hc, f, &b, hash_str(hc->kv, s));
		}
		set_finish(f, &b);
		return;
	case POP_PREFIX:
	case POP_NOT_PREFIX:
	case POP_POSTFIX:
	case POP_NOT_POSTFIX:
		reversed = m->op == POP_POSTFIX || m->op == POP_NOT_POSTFIX;
		f->op = m->op == POP_PREFIX ? RTENF_FOP_PREFIX
			: m->op == POP_NOT_PREFIX ? RTENF_FOP_NOT_PREFIX
			: m->op == POP_POSTFIX ? RTENF_FOP_POSTFIX : RTENF_FOP_NOT_POSTFIX;
		f->set_id = hc->next_set_id++;
		for (size_t i = 0; i < m->values.n; i++) {
			const char *s = m->values.v[i].text;
			size_t len = strlen(s);
			char tmp[RTENF_LPM_STR_MAX];

			if (len > RTENF_LPM_STR_MAX) {
				ERR(hc, m->values.v[i].loc, "%s value is %zu bytes; the limit is %d", policy_op_name(m->op),
				    len, RTENF_LPM_STR_MAX);
				continue;
			}
			for (size_t j = 0; j < len; j++)
				tmp[j] = reversed ? s[len - 1 - j] : s[j];
			prefix_key_make(VEC_PUSH(hc->out->prefixes, hc->out->n_prefixes), f->set_id, tmp, len);
		}
		return;
	case POP_SUBSTRING:
	case POP_SUBSTRING_IGN_CASE:
		compile_substring(hc, f, m, m->op == POP_SUBSTRING_IGN_CASE);
		return;
	default:
		if (is_net_op(m->op))
			ERR(hc, m->op_loc, "operator %s needs a sock, sockaddr or skb argument; argument %u is %s",
			    policy_op_name(m->op), m->index, rtenf_arg_type_name(t));
		else
			ERR(hc, m->op_loc, "operator %s needs an integer argument; argument %u is %s", policy_op_name(m->op),
			    m->index, rtenf_arg_type_name(t));
	}
}

/* Which of the hook's args a matchArgs index names.  As in Tetragon: the
 * arg whose own index (tracepoint field, function argument) it is; failing
 * that, the position in the args list, which older policies use. */
int resolve_arg(const struct policy_hook *h, unsigned index)
{
	for (size_t i = 0; i < h->n_args; i++)
		if (h->args[i].index == index)
			return (int)i;
	return index < h->n_args ? (int)index : -1;
}

/* ---- network filters ----------------------------------------------------- */

struct name_value {
	const char *name;
	unsigned value;
};

static const struct name_value families[] = {
	{"AF_UNIX", 1}, {"AF_INET", 2}, {"AF_INET6", 10}, {"AF_NETLINK", 16}, {"AF_PACKET", 17},
};
static const struct name_value protocols[] = {
	{"IPPROTO_IP", 0}, {"IPPROTO_ICMP", 1}, {"IPPROTO_TCP", 6}, {"IPPROTO_UDP", 17},
	{"IPPROTO_ICMPV6", 58}, {"IPPROTO_SCTP", 132}, {"IPPROTO_RAW", 255},
};
static const struct name_value tcp_states[] = {
	{"TCP_ESTABLISHED", 1}, {"TCP_SYN_SENT", 2}, {"TCP_SYN_RECV", 3}, {"TCP_FIN_WAIT1", 4},
	{"TCP_FIN_WAIT2", 5}, {"TCP_TIME_WAIT", 6}, {"TCP_CLOSE", 7}, {"TCP_CLOSE_WAIT", 8},
	{"TCP_LAST_ACK", 9}, {"TCP_LISTEN", 10}, {"TCP_CLOSING", 11}, {"TCP_NEW_SYN_RECV", 12},
};

static bool named_value(struct hook_compiler *hc, const struct policy_value *v, const struct name_value *names,
			size_t n, unsigned max, const char *what, __u64 *out)
{
	__u64 u;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v->text, names[i].name)) {
			*out = names[i].value;
			return true;
		}
	}
	if (parse_u64(v->text, &u) && u <= max) {
		*out = u;
		return true;
	}
	ERR(hc, v->loc, "\"%s\" is not a %s (a name such as %s, or a number up to %u)", v->text, what, names[0].name,
	    max);
	return false;
}

/* "10.0.0.0/8", "192.168.1.1", "fd00::/8", "::1": an LPM key in set_id
 * (IPv4) or set_id + 1 (IPv6). */
static bool cidr_value(struct hook_compiler *hc, const struct policy_value *v, __u32 set_id)
{
	char addr[64], *slash;
	unsigned char bytes[16];
	unsigned long bits;
	size_t len = strlen(v->text);
	bool v6;

	if (len >= sizeof(addr))
		goto bad;
	memcpy(addr, v->text, len + 1);
	slash = strchr(addr, '/');
	if (slash)
		*slash = '\0';
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bytes) != 1)
		goto bad;
	bits = v6 ? 128 : 32;
	if (slash) {
		char *end;

		bits = strtoul(slash + 1, &end, 10);
		if (*end || end == slash + 1 || bits > (v6 ? 128u : 32u))
			goto bad;
	}
	prefix_key_make(VEC_PUSH(hc->out->prefixes, hc->out->n_prefixes), set_id + v6, (const char *)bytes, v6 ? 16 : 4);
	hc->out->prefixes[hc->out->n_prefixes - 1].prefixlen = 32 + (__u32)bits;
	return true;
bad:
	ERR(hc, v->loc, "\"%s\" is not an IPv4 or IPv6 address or CIDR (e.g. 10.0.0.0/8, fd00::/8)", v->text);
	return false;
}

/* Ports as "min:max" ranges, or single ports, in one range set. */
static void compile_port_ranges(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m)
{
	f->op = f->op == RTENF_FOP_IN ? RTENF_FOP_IN_RANGE : RTENF_FOP_NOT_IN_RANGE;
	f->set_id = hc->next_set_id++;
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		const char *colon = strchr(v->text, ':');
		char *min_text = colon ? xstrndup(v->text, (size_t)(colon - v->text)) : xstrdup(v->text);
		__u64 lo, hi;
		bool ok = parse_u64(min_text, &lo) && lo <= 65535;

		if (colon)
			ok = ok && !strchr(colon + 1, ':') && parse_u64(colon + 1, &hi) && hi <= 65535;
		else
			hi = lo;
		free(min_text);
		if (!ok) {
			ERR(hc, v->loc, "\"%s\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)",
			    v->text);
			continue;
		}
		if (lo > hi) {
			ERR(hc, v->loc, "\"%s\" is an empty port range: its minimum is above its maximum; write min:max",
			    v->text);
			continue;
		}
		range_add(hc->out, f->set_id, lo, hi);
	}
}

static void compile_arg_net(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	/* a sockaddr is one address: the peer of connect/sendmsg, the local one of bind */
	bool one = t == RTENF_ARG_SOCKADDR;
	struct filter_builder b;
	__u64 v;

	f->kind = RTENF_FILTER_ARG_NET;
	switch (m->op) {
	case POP_SPORT:
	case POP_NOT_SPORT:
	case POP_DPORT:
	case POP_NOT_DPORT:
		f->field = one || m->op == POP_DPORT || m->op == POP_NOT_DPORT ? RTENF_NET_DPORT : RTENF_NET_SPORT;
		f->op = m->op == POP_SPORT || m->op == POP_DPORT ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		if (has_range_value(&m->values)) {
			compile_port_ranges(hc, f, m);
			return;
		}
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++) {
			if (!parse_u64(m->values.v[i].text, &v) || v > 65535) {
				ERR(hc, m->values.v[i].loc, "\"%s\" is not a port (0-65535)", m->values.v[i].text);
				continue;
			}
			set_add(hc, f, &b, v);
		}
		set_finish(f, &b);
		return;
	case POP_SPORT_PRIV:
	case POP_NOT_SPORT_PRIV:
	case POP_DPORT_PRIV:
	case POP_NOT_DPORT_PRIV:
		f->field = one || m->op == POP_DPORT_PRIV || m->op == POP_NOT_DPORT_PRIV ? RTENF_NET_DPORT : RTENF_NET_SPORT;
		/* privileged ports are below 1024 */
		f->op = m->op == POP_SPORT_PRIV || m->op == POP_DPORT_PRIV ? RTENF_FOP_LT : RTENF_FOP_GT;
		f->imm = f->op == RTENF_FOP_LT ? 1024 : 1023;
		return;
	case POP_SADDR:
	case POP_NOT_SADDR:
	case POP_DADDR:
	case POP_NOT_DADDR:
		f->field = one || m->op == POP_DADDR || m->op == POP_NOT_DADDR ? RTENF_NET_DADDR : RTENF_NET_SADDR;
		f->op = m->op == POP_SADDR || m->op == POP_DADDR ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		f->set_id = hc->next_set_id;
		hc->next_set_id += 2; /* IPv4, IPv6 */
		for (size_t i = 0; i < m->values.n; i++)
			cidr_value(hc, &m->values.v[i], f->set_id);
		return;
	case POP_FAMILY:
	case POP_PROTOCOL:
	case POP_STATE: {
		const struct name_value *names = m->op == POP_FAMILY ? families : m->op == POP_PROTOCOL ? protocols : tcp_states;
		size_t n = m->op == POP_FAMILY ? ARRAY_SIZE(families)
			   : m->op == POP_PROTOCOL ? ARRAY_SIZE(protocols) : ARRAY_SIZE(tcp_states);

		if (m->op == POP_STATE && t != RTENF_ARG_SOCK) {
			ERR(hc, m->op_loc, "State needs a sock argument: %s %s has no connection state",
			    t == RTENF_ARG_SKB ? "an" : "a", rtenf_arg_type_name(t));
			return;
		}
		f->field = m->op == POP_FAMILY ? RTENF_NET_FAMILY : m->op == POP_PROTOCOL ? RTENF_NET_PROTOCOL : RTENF_NET_STATE;
		f->op = RTENF_FOP_IN;
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++)
			if (named_value(hc, &m->values.v[i], names, n, m->op == POP_FAMILY ? 255 : 65535,
					m->op == POP_FAMILY ? "family" : m->op == POP_PROTOCOL ? "protocol" : "TCP state", &v))
				set_add(hc, f, &b, v);
		set_finish(f, &b);
		return;
	}
	default:
		ERR(hc, m->op_loc, "operator %s does not apply to %s %s argument; use SPort, DPort, SAddr, DAddr, %s",
		    policy_op_name(m->op), t == RTENF_ARG_SKB ? "an" : "a", rtenf_arg_type_name(t),
		    t == RTENF_ARG_SOCK ? "Family, Protocol or State" : "Family or Protocol");
	}
}

/* Filters of a selector in the order they cost: integers, sockets, file
 * types (a few pointer reads), strings (a copy, maybe a path walk). */
enum arg_pass {
	PASS_INT,
	PASS_NET,
	PASS_FILE,
	PASS_STR,
};

static bool is_file_type_op(enum policy_op op)
{
	return op == POP_FILE_TYPE || op == POP_NOT_FILE_TYPE;
}

static enum arg_pass pass_of(enum rtenf_arg_type t, enum policy_op op)
{
	if (is_file_type_op(op))
		return PASS_FILE;
	return is_net_type(t) ? PASS_NET : is_string_type(t) ? PASS_STR : PASS_INT;
}

/* FileType, NotFileType: names as Tetragon spells them, to S_IF* bits. */
static const struct name_value file_types[] = {
	{"reg", 0100000}, {"regular", 0100000}, {"dir", 0040000}, {"lnk", 0120000}, {"link", 0120000},
	{"chr", 0020000}, {"char", 0020000}, {"blk", 0060000}, {"block", 0060000}, {"fifo", 0010000},
	{"pipe", 0010000}, {"sock", 0140000}, {"socket", 0140000},
};

static void compile_arg_filetype(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
				 enum rtenf_arg_type t)
{
	struct filter_builder b;

	f->kind = RTENF_FILTER_ARG_FILETYPE;
	if (t != RTENF_ARG_FILE && t != RTENF_ARG_PATH && t != RTENF_ARG_FD && t != RTENF_ARG_LINUX_BINPRM) {
		ERR(hc, m->op_loc, "operator %s needs a file, path, fd or linux_binprm argument; argument %u is %s",
		    policy_op_name(m->op), m->index, rtenf_arg_type_name(t));
		return;
	}
	f->op = m->op == POP_FILE_TYPE ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		size_t k;

		for (k = 0; k < ARRAY_SIZE(file_types); k++)
			if (!strcmp(v->text, file_types[k].name))
				break;
		if (k == ARRAY_SIZE(file_types)) {
			ERR(hc, v->loc, "\"%s\" is not a file type; use reg, dir, lnk, chr, blk, fifo or sock (or regular, "
			    "link, char, block, pipe, socket)", v->text);
			continue;
		}
		set_add(hc, f, &b, file_types[k].value);
	}
	set_finish(f, &b);
}

/* The type of an argument declared without one when there is no format
 * file to take it from (an offline check): what the filter asks for.  A
 * policy that compiles against the kernel must not fail offline only
 * because its string argument was taken for an integer. */
static enum rtenf_arg_type untyped_arg_type(const struct policy_match_args *m)
{
	__u64 u;
	__s64 s;

	switch (m->op) {
	case POP_PREFIX:
	case POP_NOT_PREFIX:
	case POP_POSTFIX:
	case POP_NOT_POSTFIX:
	case POP_SUBSTRING:
	case POP_SUBSTRING_IGN_CASE:
		return RTENF_ARG_STRING;
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		for (size_t i = 0; i < m->values.n; i++)
			if (!parse_u64(m->values.v[i].text, &u) && !parse_s64(m->values.v[i].text, &s))
				return RTENF_ARG_STRING;
		return RTENF_ARG_UINT64;
	case POP_FILE_TYPE:
	case POP_NOT_FILE_TYPE:
		return RTENF_ARG_FD;
	default:
		return is_net_op(m->op) ? RTENF_ARG_SOCKADDR : RTENF_ARG_UINT64;
	}
}

/* CapabilitiesGained: the first argument args names lacks a capability
 * the second has.  Both are capability sets. */
static void compile_caps_gained(struct hook_compiler *hc, __u8 sel, const struct policy_match_args *m)
{
	const struct rtenf_hook_config *cfg = &hc->out->cfg;
	struct rtenf_filter *f;

	for (size_t i = 0; i < 2; i++) {
		enum rtenf_arg_type t = cfg->args[m->positions[i]].type;

		if (t != RTENF_ARG_CAPS) {
			ERR(hc, m->positions_loc, "CapabilitiesGained compares capability sets; argument %u of args is %s",
			    m->positions[i], rtenf_arg_type_name(t));
			return;
		}
	}
	f = new_filter(hc, sel, RTENF_FILTER_ARG_INT, m->loc);
	if (!f)
		return;
	f->op = RTENF_FOP_CAPS_GAINED;
	f->arg = (__u8)m->positions[0];
	f->imm = m->positions[1];
}

/* matchArgs, and matchData (data: m->index names a data entry). */
static void compile_arg_filter(struct hook_compiler *hc, __u8 sel, const struct policy_match_args *m, enum arg_pass pass,
			       bool data)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	int a = data ? resolve_data(hc, m->index) : m->n_positions ? (int)m->positions[0] : resolve_arg(hc->h, m->index);
	enum rtenf_arg_type t;
	struct rtenf_filter *f;

	for (size_t i = 0; i < m->n_positions; i++)
		if (m->positions[i] >= hc->h->n_args) {
			if (pass == PASS_INT)
				ERR(hc, m->positions_loc, "args position %u names no argument: the hook lists %zu", m->positions[i],
				    hc->h->n_args);
			return;
		}
	if (a < 0 && data) {
		if (pass == PASS_INT)
			ERR(hc, m->index_loc, "matchData index %u names no data entry: list it in data (index: %u) first",
			    m->index, m->index);
		return;
	}
	if (a < 0) {
		if (pass == PASS_INT) /* every pass gets here: report it in the first only */
			ERR(hc, m->index_loc, "matchArgs index %u names no argument: list it in args (index: %u) first",
			    m->index, m->index);
		return;
	}
	if (m->op == POP_CAPABILITIES_GAINED) {
		if (pass == PASS_INT)
			compile_caps_gained(hc, sel, m);
		return;
	}
	t = cfg->args[a].type;
	if (t == RTENF_ARG_NONE)
		t = untyped_arg_type(m);
	if (pass_of(t, m->op) != pass)
		return; /* compiled in another pass */
	if (is_net_op(m->op) && pass != PASS_NET) {
		ERR(hc, m->op_loc, "operator %s needs a sock, sockaddr or skb argument; argument %u is %s", policy_op_name(m->op),
		    m->index, rtenf_arg_type_name(t));
		return;
	}
	if (t == RTENF_ARG_CRED) {
		ERR(hc, m->op_loc, "not supported yet: matchArgs on a cred argument");
		return;
	}
	if (pass != PASS_INT && reject_list_values(hc, m, t))
		return;
	f = new_filter(hc, sel, 0, m->loc);
	if (!f)
		return;
	f->arg = (__u8)a;
	if (pass == PASS_NET)
		compile_arg_net(hc, f, m, t);
	else if (pass == PASS_FILE)
		compile_arg_filetype(hc, f, m, t);
	else if (pass == PASS_STR)
		compile_arg_str(hc, f, m, t);
	else
		compile_arg_int(hc, f, m, t);
}

/* matchReturnArgs: integer filters on the return value. */
static void compile_return_filter(struct hook_compiler *hc, __u8 sel, const struct policy_match_args *m)
{
	enum rtenf_arg_type t = hc->out->cfg.ret_type;
	struct rtenf_filter *f;

	if (!is_int_type(t) && t != RTENF_ARG_FD) {
		ERR(hc, m->loc, "matchReturnArgs needs an integer return value: set returnArg with an integer type");
		return;
	}
	f = new_filter(hc, sel, 0, m->loc);
	if (!f)
		return;
	f->arg = RTENF_ARG_RETVAL;
	compile_arg_int(hc, f, m, t);
}

static void compile_actions(struct hook_compiler *hc, __u8 sel, const struct policy_selector *s)
{
	struct rtenf_selector_desc *d = &hc->out->cfg.selectors[sel];

	if (s->n_actions > RTENF_MAX_ACTIONS) {
		ERR(hc, s->actions[RTENF_MAX_ACTIONS].loc, "too many actions: %zu, a selector has at most %d",
		    s->n_actions, RTENF_MAX_ACTIONS);
		return;
	}
	for (size_t i = 0; i < s->n_actions; i++) {
		const struct policy_action *a = &s->actions[i];
		struct rtenf_action *ra = &d->actions[d->nactions];

		/* checked here, with the action's location, rather than when
		 * the program is loaded */
		if ((a->kind == PACT_SIGKILL || a->kind == PACT_SIGNAL) && !kv_has(hc, FEAT_HELPER_SEND_SIGNAL)) {
			ERR(hc, a->loc, "%s needs bpf_send_signal, which this kernel lacks (%s)",
			    policy_action_name(a->kind), remedy_of(FEAT_HELPER_SEND_SIGNAL));
			continue;
		}
		switch (a->kind) {
		case PACT_POST:
			ra->kind = RTENF_ACTION_POST;
			if (a->has_rate_limit) {
				d->rate_limit_ms = a->rate_limit_ms;
				d->rate_scope = (__u8)a->rate_limit_scope; /* same order as enum rtenf_rate_scope */
			}
			if (a->kernel_stack)
				d->flags |= RTENF_SEL_F_KERNEL_STACK;
			if (a->user_stack)
				d->flags |= RTENF_SEL_F_USER_STACK;
			if (a->kernel_stack || a->user_stack)
				hc->out->cfg.flags |= RTENF_HOOKCFG_F_STACKS;
			break;
		case PACT_NOPOST:
			ra->kind = RTENF_ACTION_NOPOST;
			break;
		case PACT_SIGKILL:
			ra->kind = RTENF_ACTION_SIGKILL;
			ra->arg = 9;
			break;
		case PACT_SIGNAL:
			if (!a->has_arg_sig || a->arg_sig == 0 || a->arg_sig > 64) {
				ERR(hc, a->loc, "Signal needs argSig between 1 and 64");
				continue;
			}
			ra->kind = RTENF_ACTION_SIGNAL;
			ra->arg = a->arg_sig;
			break;
		case PACT_OVERRIDE: {
			/* Tetragon writes -1 for EPERM; either sign means the same errno */
			int err = a->arg_error < 0 ? -a->arg_error : a->arg_error;

			if (!a->has_arg_error || err == 0 || err > 4095) {
				ERR(hc, a->loc, "Override needs argError, an errno such as -1 (EPERM) or -13 (EACCES)");
				continue;
			}
			ra->kind = RTENF_ACTION_OVERRIDE;
			ra->arg = (__u32)err;
			break;
		}
		}
		d->action_bits |= RTENF_ACTION_BIT(ra->kind);
		d->nactions++;
	}
	if (!d->nactions)
		d->action_bits = RTENF_ACTION_BIT(RTENF_ACTION_POST);
}

static void compile_selector(struct hook_compiler *hc, __u8 sel, const struct policy_selector *s)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	__u16 first = cfg->nfilters;

	/* cheap first: these read only the task */
	for (size_t i = 0; i < s->n_pids; i++)
		compile_pids(hc, sel, &s->pids[i]);
	for (size_t i = 0; i < s->n_namespaces; i++)
		compile_namespaces(hc, sel, &s->namespaces[i]);
	for (size_t i = 0; i < s->n_caps; i++)
		compile_caps(hc, sel, &s->caps[i], false);
	for (size_t i = 0; i < s->n_cap_changes; i++)
		compile_caps(hc, sel, &s->cap_changes[i], true);
	for (size_t i = 0; i < s->n_ns_changes; i++)
		compile_ns_changes(hc, sel, &s->ns_changes[i]);
	for (size_t i = 0; i < s->n_binaries; i++)
		compile_binaries(hc, sel, &s->binaries[i], false);
	for (size_t i = 0; i < s->n_parent_binaries; i++)
		compile_binaries(hc, sel, &s->parent_binaries[i], true);
	/* then the arguments: integers, sockets, and strings last */
	for (size_t i = 0; i < s->n_return_args; i++)
		compile_return_filter(hc, sel, &s->return_args[i]);
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], PASS_INT, false);
	for (size_t i = 0; i < s->n_data; i++)
		compile_arg_filter(hc, sel, &s->data[i], PASS_INT, true);
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], PASS_NET, false);
	for (size_t i = 0; i < s->n_data; i++)
		compile_arg_filter(hc, sel, &s->data[i], PASS_NET, true);
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], PASS_FILE, false);
	for (size_t i = 0; i < s->n_data; i++)
		compile_arg_filter(hc, sel, &s->data[i], PASS_FILE, true);
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], PASS_STR, false);
	for (size_t i = 0; i < s->n_data; i++)
		compile_arg_filter(hc, sel, &s->data[i], PASS_STR, true);
	if (cfg->nfilters == first)
		new_filter(hc, sel, RTENF_FILTER_ALWAYS, s->loc);
	compile_actions(hc, sel, s);
}


void compile_selectors(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;

	compile_task_data(hc);
	if (h->n_selectors > RTENF_MAX_SELECTORS) {
		ERR(hc, h->selectors[RTENF_MAX_SELECTORS].loc, "too many selectors: %zu, a hook has at most %d",
		    h->n_selectors, RTENF_MAX_SELECTORS);
		return;
	}
	if (h->n_selectors == 0) {
		/* no selectors: every call is an event, as in Tetragon */
		new_filter(hc, 0, RTENF_FILTER_ALWAYS, h->loc);
		hc->out->cfg.selectors[0].action_bits = RTENF_ACTION_BIT(RTENF_ACTION_POST);
		hc->out->cfg.nselectors = 1;
		return;
	}
	for (size_t s = 0; s < h->n_selectors; s++)
		compile_selector(hc, (__u8)s, &h->selectors[s]);
	hc->out->cfg.nselectors = (__u8)h->n_selectors;
}
