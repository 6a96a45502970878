// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel function, LSM and uprobe hooks.
 *
 * MECHANISM CHOICE (first that this kernel can do wins; the feature probes
 * in feature_probe.c say what it can):
 *
 *   kprobe on a syscall, observing     kprobe.multi, kprobe, fentry,
 *                                      then the syscalls/sys_enter_* tracepoint
 *   kprobe on a syscall, return: true  kprobe + kretprobe, fexit,
 *                                      then sys_enter_* + sys_exit_*
 *   kprobe on a function, observing    kprobe.multi, kprobe, fentry
 *   ... with return: true              kprobe + kretprobe, fexit
 *   Override (kprobe)                  kprobe + bpf_override_return (function
 *                                      on the error-injection list), fmod_ret
 *                                      (syscalls, security_*, error-injectable),
 *                                      BPF LSM (security_X), cgroup socket
 *                                      programs (connect, bind, sendmsg)
 *   lsmhooks                           BPF LSM, fmod_ret on security_X, kprobe
 *                                      on security_X (no Override), cgroup
 *                                      socket programs (socket_connect/bind/
 *                                      sendmsg)
 *   uprobes                            uprobe
 *
 * When nothing fits, the hook is rejected with the facility it lacks and the
 * kernel option or boot flag that provides it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile_internal.h"
#include "policy.h"
#include "util.h"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "sys_openat", "__x64_sys_openat", "openat" -> "openat". */
static const char *syscall_base(const char *name)
{
	const char *p = strstr(name, "sys_");

	if (starts_with(name, "__") && p)
		return p + 4;
	if (starts_with(name, "sys_"))
		return name + 4;
	return name;
}

/* Which cgroup socket programs can stand in for a hook, 0 if none. */
static unsigned sock_ops_of(const char *name)
{
	static const struct {
		const char *name;
		unsigned ops;
	} table[] = {
		{"connect", RTENF_SOCK_CONNECT}, {"socket_connect", RTENF_SOCK_CONNECT},
		{"security_socket_connect", RTENF_SOCK_CONNECT},
		{"bind", RTENF_SOCK_BIND}, {"socket_bind", RTENF_SOCK_BIND}, {"security_socket_bind", RTENF_SOCK_BIND},
		{"sendto", RTENF_SOCK_SENDMSG}, {"sendmsg", RTENF_SOCK_SENDMSG}, {"socket_sendmsg", RTENF_SOCK_SENDMSG},
		{"security_socket_sendmsg", RTENF_SOCK_SENDMSG},
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (!strcmp(name, table[i].name))
			return table[i].ops;
	return 0;
}

static bool injectable(const struct hook_compiler *hc, const char *sym)
{
	int r = hc->kv->error_injectable ? hc->kv->error_injectable(hc->kv, sym) : -ENOENT;

	if (r < 0) /* list unreadable: syscalls are always on it */
		return strstr(sym, "sys_") != NULL;
	return r > 0;
}

/* ---- arguments from BTF prototypes ------------------------------------- */

static const char *kernel_object_of(enum rtenf_arg_type t)
{
	switch (t) {
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
		return "kernel_cap_t";
	case RTENF_ARG_SKB:
		return "sk_buff";
	default:
		return NULL;
	}
}

/* The policy type "auto" takes the type BTF gives the parameter. */
static enum rtenf_arg_type auto_from_btf(const struct btf_arg_info *p)
{
	static const enum rtenf_arg_type objects[] = {
		RTENF_ARG_FILE, RTENF_ARG_PATH, RTENF_ARG_FILENAME, RTENF_ARG_LINUX_BINPRM,
		RTENF_ARG_SOCK, RTENF_ARG_SOCKADDR, RTENF_ARG_CRED, RTENF_ARG_CAPS, RTENF_ARG_SKB,
	};

	if (p->kind == BTF_PARAM_INT)
		return p->size == 8 ? (p->is_signed ? RTENF_ARG_INT64 : RTENF_ARG_UINT64)
				    : (p->is_signed ? RTENF_ARG_INT : RTENF_ARG_UINT32);
	if (p->kind == BTF_PARAM_PTR) {
		if (!strcmp(p->pointee, "char"))
			return RTENF_ARG_STRING;
		if (!strcmp(p->pointee, "socket"))
			return RTENF_ARG_SOCK;
		for (size_t i = 0; i < ARRAY_SIZE(objects); i++)
			if (!strcmp(p->pointee, kernel_object_of(objects[i])))
				return objects[i];
	}
	return RTENF_ARG_UINT64;
}

/* Does a parameter of this BTF type fit the policy's type?  A sock may also
 * be a struct socket * (read through its ->sk). */
static bool fits(enum rtenf_arg_type t, const struct btf_arg_info *p, __u8 *flags)
{
	const char *obj = kernel_object_of(t);

	if (obj) {
		if (p->kind != BTF_PARAM_PTR)
			return false;
		if (t == RTENF_ARG_SOCK && !strcmp(p->pointee, "socket")) {
			*flags |= RTENF_ARGD_F_VIA_SOCKET;
			return true;
		}
		return !strcmp(p->pointee, obj);
	}
	switch (t) {
	case RTENF_ARG_STRING:
		return p->kind == BTF_PARAM_PTR && !strcmp(p->pointee, "char");
	case RTENF_ARG_CHAR_BUF:
		return p->kind == BTF_PARAM_PTR;
	default:
		return p->kind == BTF_PARAM_INT; /* int types and fd */
	}
}

/* Arguments of a kernel function (or LSM hook) read from registers or the
 * BTF context; index is the parameter number. */
static void compile_function_args(struct hook_compiler *hc, enum rtenf_arg_origin origin, unsigned max_params)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	const struct policy_hook *h = hc->h;
	bool user = hc->syscall || h->kind == POLICY_HOOK_UPROBE;

	if (h->n_args > RTENF_MAX_ARGS) {
		ERR(hc, h->args[RTENF_MAX_ARGS].loc, "too many arguments: %zu, a hook reads at most %d", h->n_args,
		    RTENF_MAX_ARGS);
		return;
	}
	cfg->arg_origin = origin;
	cfg->nargs = (__u8)h->n_args;
	for (size_t i = 0; i < h->n_args; i++) {
		const struct policy_arg *pa = &h->args[i];
		struct rtenf_arg_desc *d = &cfg->args[i];
		enum rtenf_arg_type t = map_arg_type(pa->type);

		d->offset = (__u16)pa->index;
		d->size = 8;
		d->size_arg = 0xff;
		d->source = user ? RTENF_SRC_USER_PTR : RTENF_SRC_KERNEL_PTR;
		if (pa->index >= max_params) {
			ERR(hc, pa->loc, "argument index %u is out of range: %s reads at most %u arguments", pa->index,
			    hook_mechanism_name(hc->out->mechanism), max_params);
			continue;
		}
		if (hc->have_proto && !hc->syscall) {
			char desc[96];

			if (pa->index >= hc->proto.n_params) {
				ERR(hc, pa->loc, "argument index %u is out of range: %s has %u parameter%s", pa->index,
				    hc->out->function, hc->proto.n_params, hc->proto.n_params == 1 ? "" : "s");
				continue;
			}
			if (pa->resolve) {
				compile_arg_resolve(hc, pa, (unsigned)i);
				continue;
			}
			if (t == RTENF_ARG_NONE)
				t = auto_from_btf(&hc->proto.params[pa->index]);
			if (!fits(t, &hc->proto.params[pa->index], &d->flags)) {
				btf_param_describe(&hc->proto.params[pa->index], desc, sizeof(desc));
				ERR(hc, pa->type_loc.line ? pa->type_loc : pa->loc,
				    "argument %u of %s is %s, which type %s does not fit", pa->index, hc->out->function, desc,
				    rtenf_arg_type_name(t));
				continue;
			}
		} else if (pa->resolve) {
			compile_arg_resolve(hc, pa, (unsigned)i); /* unchecked without BTF */
			continue;
		} else if (t == RTENF_ARG_NONE) {
			t = RTENF_ARG_UINT64;
		}
		if (user && kernel_object_of(t) && t != RTENF_ARG_SOCKADDR) {
			ERR(hc, pa->type_loc.line ? pa->type_loc : pa->loc,
			    "type %s is a kernel object; arguments of %s are user-space values", rtenf_arg_type_name(t),
			    h->kind == POLICY_HOOK_UPROBE ? "a user-space function" : "a syscall");
			continue;
		}
		d->type = t;
		if (t == RTENF_ARG_FD || (is_int_type(t) && t != RTENF_ARG_CAPS))
			d->source = RTENF_SRC_VALUE;
	}
	record_emitted_args(hc);
	for (size_t i = 0; i < h->n_args; i++) {
		const struct policy_arg *pa = &h->args[i];

		if (cfg->args[i].type != RTENF_ARG_CHAR_BUF)
			continue;
		cfg->args[i].size_arg = 0xff;
		if (!pa->has_size_arg_index || pa->size_arg_index == 0) {
			ERR(hc, pa->loc, "char_buf argument needs sizeArgIndex (1-based index of the argument holding its length)");
			continue;
		}
		for (size_t j = 0; j < h->n_args; j++)
			if (h->args[j].index == pa->size_arg_index - 1 && is_int_type(cfg->args[j].type))
				cfg->args[i].size_arg = (__u8)j;
		if (cfg->args[i].size_arg == 0xff)
			ERR(hc, pa->loc, "sizeArgIndex %u: list the length (index: %u, an integer type) in args too",
			    pa->size_arg_index, pa->size_arg_index - 1);
	}
}

static void compile_return_type(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;
	enum rtenf_arg_type t;

	if (!h->ret)
		return;
	hc->out->cfg.flags |= RTENF_HOOKCFG_F_AT_RETURN;
	t = h->has_return_arg ? map_arg_type(h->return_arg.type) : RTENF_ARG_NONE;
	if (t == RTENF_ARG_NONE)
		t = hc->have_proto && hc->proto.ret.kind == BTF_PARAM_INT ? auto_from_btf(&hc->proto.ret) : RTENF_ARG_INT64;
	if (!is_int_type(t) || t == RTENF_ARG_CAPS) {
		ERR(hc, h->return_arg.loc, "not supported yet: returnArg of type %s (integer types only)",
		    rtenf_arg_type_name(t));
		return;
	}
	hc->out->cfg.ret_type = t;
}

/* ---- cgroup socket programs --------------------------------------------- */

/* They see the address and the process, nothing else; and they can only
 * refuse with EPERM, never send a signal. */
static void check_cgroup_sock(struct hook_compiler *hc)
{
	const struct rtenf_hook_config *cfg = &hc->out->cfg;
	const struct policy_hook *h = hc->h;

	for (size_t i = 0; i < h->n_args; i++)
		if (cfg->args[i].type != RTENF_ARG_SOCKADDR)
			ERR(hc, h->args[i].loc,
			    "on this kernel Override of %s uses a cgroup socket program, which sees only the address: "
			    "only sockaddr arguments can be read (this one is %s)", hc->out->function,
			    rtenf_arg_type_name(cfg->args[i].type));
	for (size_t s = 0; s < h->n_selectors; s++) {
		const struct policy_selector *sel = &h->selectors[s];

		for (size_t a = 0; a < sel->n_actions; a++) {
			const struct policy_action *act = &sel->actions[a];
			int err = act->arg_error < 0 ? -act->arg_error : act->arg_error;

			if (act->kind == PACT_SIGKILL || act->kind == PACT_SIGNAL)
				ERR(hc, act->loc, "on this kernel %s is hooked by a cgroup socket program, which cannot send "
				    "signals; use Override", hc->out->function);
			if (act->kind == PACT_OVERRIDE && err != 1)
				ERR(hc, act->loc, "on this kernel Override of %s uses a cgroup socket program, which can only "
				    "fail with EPERM: use argError: -1", hc->out->function);
		}
	}
}

static void use_cgroup_sock(struct hook_compiler *hc, unsigned ops)
{
	hc->out->mechanism = MECH_CGROUP_SOCK;
	hc->out->sock_ops = ops;
	compile_function_args(hc, RTENF_ORIGIN_SOCK_ADDR, RTENF_MAX_ARGS);
	/* the address comes from the socket context, not from memory */
	for (unsigned i = 0; i < hc->out->cfg.nargs; i++)
		hc->out->cfg.args[i].source = RTENF_SRC_VALUE;
	check_cgroup_sock(hc);
}

/* ---- kprobes ------------------------------------------------------------ */

static bool function_exists(struct hook_compiler *hc, const char *sym)
{
	if (hc->kv->btf && !btf_func_proto(hc->kv->btf, sym, &hc->proto)) {
		hc->have_proto = true;
		return true;
	}
	if (hc->kv->symbol_exists && hc->kv->symbol_exists(hc->kv, sym))
		return true;
	return !hc->kv->btf && !hc->kv->symbol_exists; /* offline without BTF: cannot tell */
}

static void compile_syscall_kprobe(struct hook_compiler *hc, bool override)
{
	const char *name = syscall_base(hc->function);
	const struct policy_hook *h = hc->h;
	char *sym = xasprintf("%s%s", hc->kv->syscall_prefix ? hc->kv->syscall_prefix : "__x64_sys_", name);
	bool kernel_has_sym = function_exists(hc, sym);
	unsigned ops = sock_ops_of(name);

	hc->have_proto = false; /* a syscall wrapper's prototype is just pt_regs */
	hc->out->function = xstrdup(sym);
	hc->out->attach = xstrdup(sym);
	if (!kernel_has_sym) {
		ERR(hc, h->call_loc, "unknown syscall %s: this kernel has no %s", name, sym);
		goto out_free;
	}
	if (override) {
		if (kv_has(hc, FEAT_KPROBE) && kv_has(hc, FEAT_HELPER_OVERRIDE_RETURN) && injectable(hc, sym))
			hc->out->mechanism = MECH_KPROBE_OVERRIDE;
		else if (kv_has(hc, FEAT_FMOD_RET) && injectable(hc, sym))
			hc->out->mechanism = MECH_FMOD_RET;
		else if (ops && kv_has(hc, FEAT_CGROUP_SOCK_ADDR)) {
			use_cgroup_sock(hc, ops);
			goto out_free;
		} else {
			ERR_KERNEL(hc, h->call_loc, "Override of %s is not possible on this kernel: it needs bpf_override_return (%s) "
			    "or BPF trampolines for fmod_ret (%s)%s", sym, remedy_of(FEAT_HELPER_OVERRIDE_RETURN),
			    remedy_of(FEAT_FMOD_RET), ops ? "" : "; only connect, bind and sendmsg have a cgroup fallback");
			goto out_free;
		}
	} else if (h->ret) {
		if (kv_has(hc, FEAT_KPROBE))
			hc->out->mechanism = MECH_KPROBE;
		else if (kv_has(hc, FEAT_FEXIT))
			hc->out->mechanism = MECH_FEXIT;
		else
			hc->out->mechanism = MECH_SYSCALL_TRACEPOINT;
	} else {
		if (kv_has(hc, FEAT_KPROBE_MULTI))
			hc->out->mechanism = MECH_KPROBE_MULTI;
		else if (kv_has(hc, FEAT_KPROBE))
			hc->out->mechanism = MECH_KPROBE;
		else if (kv_has(hc, FEAT_FENTRY))
			hc->out->mechanism = MECH_FENTRY;
		else
			hc->out->mechanism = MECH_SYSCALL_TRACEPOINT;
	}
	if (hc->out->mechanism == MECH_SYSCALL_TRACEPOINT && !kv_has(hc, FEAT_PROG_TRACEPOINT)) {
		ERR_KERNEL(hc, h->call_loc, "cannot hook syscall %s on this kernel: it needs kprobes (%s), %s or "
		    "tracepoint programs (%s)", name, remedy_of(FEAT_KPROBE), remedy_of(FEAT_FENTRY),
		    remedy_of(FEAT_PROG_TRACEPOINT));
		goto out_free;
	}

	switch (hc->out->mechanism) {
	case MECH_SYSCALL_TRACEPOINT:
		/* a hardened kernel: the syscall's tracepoint, same argument semantics */
		compile_syscall_record_args(hc, name);
		if (h->ret) {
			hc->out->exit_event = xasprintf("sys_exit_%s", name);
			hc->out->return_program = true;
		}
		break;
	case MECH_FENTRY:
	case MECH_FEXIT:
	case MECH_FMOD_RET:
		compile_function_args(hc, RTENF_ORIGIN_SYSCALL_CTX, 6);
		hc->out->cfg.ret_index = 1; /* after the one pt_regs parameter */
		break;
	default:
		compile_function_args(hc, RTENF_ORIGIN_SYSCALL_REGS, 6);
		break;
	}
out_free:
	free(sym);
}

static void compile_function_kprobe(struct hook_compiler *hc, bool override)
{
	const char *sym = hc->function;
	const struct policy_hook *h = hc->h;
	unsigned ops = sock_ops_of(sym);
	bool security = starts_with(sym, "security_");

	hc->out->function = xstrdup(sym);
	hc->out->attach = xstrdup(sym);
	if (!function_exists(hc, sym)) {
		ERR(hc, h->call_loc, "unknown kernel function %s: not in this kernel's BTF or /proc/kallsyms%s", sym,
		    starts_with(sym, "sys_") ? " (a syscall? add syscall: true)" : "");
		return;
	}
	if (override) {
		char lsm_fn[128];

		snprintf(lsm_fn, sizeof(lsm_fn), "bpf_lsm_%s", sym + (security ? 9 : 0));
		if (kv_has(hc, FEAT_KPROBE) && kv_has(hc, FEAT_HELPER_OVERRIDE_RETURN) && injectable(hc, sym)) {
			hc->out->mechanism = MECH_KPROBE_OVERRIDE;
		} else if (kv_has(hc, FEAT_FMOD_RET) && (security || injectable(hc, sym))) {
			hc->out->mechanism = MECH_FMOD_RET;
		} else if (security && kv_has(hc, FEAT_LSM) && hc->kv->btf &&
			   !btf_func_proto(hc->kv->btf, lsm_fn, &hc->proto)) {
			hc->out->mechanism = MECH_LSM;
			free(hc->out->attach);
			hc->out->attach = xstrdup(sym + 9);
		} else if (ops && kv_has(hc, FEAT_CGROUP_SOCK_ADDR)) {
			use_cgroup_sock(hc, ops);
			return;
		} else {
			ERR(hc, h->call_loc, "Override of %s is not possible on this kernel: it needs bpf_override_return on an "
			    "error-injectable function (%s), fmod_ret on a security_* or error-injectable function (%s), or "
			    "BPF LSM (%s)", sym, remedy_of(FEAT_HELPER_OVERRIDE_RETURN), remedy_of(FEAT_FMOD_RET), remedy_of(FEAT_LSM));
			return;
		}
	} else if (h->ret) {
		if (kv_has(hc, FEAT_KPROBE))
			hc->out->mechanism = MECH_KPROBE;
		else if (kv_has(hc, FEAT_FEXIT))
			hc->out->mechanism = MECH_FEXIT;
		else {
			ERR_KERNEL(hc, h->call_loc, "cannot hook %s with return: true on this kernel: it needs kprobes (%s) or "
			    "%s for fexit", sym, remedy_of(FEAT_KPROBE), remedy_of(FEAT_FEXIT));
			return;
		}
	} else {
		if (kv_has(hc, FEAT_KPROBE_MULTI))
			hc->out->mechanism = MECH_KPROBE_MULTI;
		else if (kv_has(hc, FEAT_KPROBE))
			hc->out->mechanism = MECH_KPROBE;
		else if (kv_has(hc, FEAT_FENTRY))
			hc->out->mechanism = MECH_FENTRY;
		else {
			ERR_KERNEL(hc, h->call_loc, "cannot hook kernel function %s on this kernel: it needs kprobes (%s) or %s; "
			    "only syscalls have a tracepoint fallback", sym, remedy_of(FEAT_KPROBE),
			    remedy_of(FEAT_FENTRY));
			return;
		}
	}
	switch (hc->out->mechanism) {
	case MECH_FENTRY:
	case MECH_FEXIT:
	case MECH_FMOD_RET:
	case MECH_LSM:
		compile_function_args(hc, RTENF_ORIGIN_CTX_ARRAY, BTF_MAX_PARAMS);
		hc->out->cfg.ret_index = hc->have_proto ? (__u8)hc->proto.n_params : 0xff;
		break;
	default:
		compile_function_args(hc, RTENF_ORIGIN_REGS, 6);
		break;
	}
}

void compile_kprobe(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;
	bool override = hook_has_action(h, PACT_OVERRIDE);

	hc->out->cfg.op = RTENF_OP_KPROBE;
	if (override && h->ret) {
		ERR(hc, h->call_loc, "Override cannot be combined with return: true: the call must fail before it runs");
		return;
	}
	if (hc->syscall)
		compile_syscall_kprobe(hc, override);
	else
		compile_function_kprobe(hc, override);
	if (hc->out->mechanism != MECH_CGROUP_SOCK)
		compile_return_type(hc);
	compile_selectors(hc);
	/* a syscall's user strings may not be resident at entry: decide at its
	 * return, by the sys_exit tracepoint, a kretprobe or fexit */
	if (hc->syscall && (hc->out->mechanism == MECH_SYSCALL_TRACEPOINT || hc->out->mechanism == MECH_KPROBE ||
			    hc->out->mechanism == MECH_KPROBE_MULTI || hc->out->mechanism == MECH_FENTRY) &&
	    plan_late_decisions(hc) && hc->out->mechanism == MECH_SYSCALL_TRACEPOINT && !hc->out->exit_event)
		hc->out->exit_event = xasprintf("sys_exit_%s", hc->out->event + 10);
	if (h->ret)
		hc->out->return_program = true;
}

/* ---- LSM hooks ---------------------------------------------------------- */

void compile_lsm(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;
	bool override = hook_has_action(h, PACT_OVERRIDE);
	char bpf_fn[128], sec_fn[128];
	bool have_lsm_fn = false;
	unsigned ops = sock_ops_of(h->lsm_hook);

	snprintf(bpf_fn, sizeof(bpf_fn), "bpf_lsm_%s", h->lsm_hook);
	snprintf(sec_fn, sizeof(sec_fn), "security_%s", h->lsm_hook);
	hc->out->cfg.op = RTENF_OP_LSM;
	hc->out->function = xstrdup(h->lsm_hook);
	if (hc->kv->btf) {
		have_lsm_fn = !btf_func_proto(hc->kv->btf, bpf_fn, &hc->proto);
		if (!have_lsm_fn && btf_func_proto(hc->kv->btf, sec_fn, &hc->proto)) {
			ERR(hc, h->lsm_hook_loc, "unknown LSM hook %s: this kernel has neither %s nor %s", h->lsm_hook, bpf_fn,
			    sec_fn);
			return;
		}
		hc->have_proto = true;
	}
	if (kv_has(hc, FEAT_LSM) && (have_lsm_fn || !hc->kv->btf)) {
		hc->out->mechanism = MECH_LSM;
		hc->out->attach = xstrdup(h->lsm_hook);
	} else if (kv_has(hc, FEAT_FMOD_RET)) {
		hc->out->mechanism = MECH_FMOD_RET;
		hc->out->attach = xstrdup(sec_fn);
	} else if (!override && kv_has(hc, FEAT_KPROBE)) {
		hc->out->mechanism = MECH_KPROBE;
		hc->out->attach = xstrdup(sec_fn);
	} else if (ops && kv_has(hc, FEAT_CGROUP_SOCK_ADDR)) {
		hc->out->attach = xstrdup(h->lsm_hook);
		use_cgroup_sock(hc, ops);
		compile_selectors(hc);
		return;
	} else {
		ERR_KERNEL(hc, h->lsm_hook_loc, "cannot hook LSM hook %s on this kernel: lsmhooks need %s; without it rtenf can "
		    "use fmod_ret on %s (%s)%s", h->lsm_hook, remedy_of(FEAT_LSM), sec_fn, remedy_of(FEAT_FMOD_RET),
		    override ? "" : " or a kprobe on it (" "CONFIG_KPROBES=y)");
		/* still check arguments and selectors against the hook's BTF
		 * prototype, so every mistake in the file is reported at once */
		hc->out->mechanism = MECH_LSM;
	}
	if (hc->out->mechanism == MECH_KPROBE) {
		compile_function_args(hc, RTENF_ORIGIN_REGS, 6);
	} else {
		compile_function_args(hc, RTENF_ORIGIN_CTX_ARRAY, BTF_MAX_PARAMS);
		/* an int hook's verdict so far is the context's last element */
		hc->out->cfg.ret_index = hc->have_proto && hc->proto.ret.kind == BTF_PARAM_INT ? (__u8)hc->proto.n_params : 0xff;
		if (override && hc->out->cfg.ret_index == 0xff)
			ERR(hc, h->lsm_hook_loc, "LSM hook %s returns nothing: Override cannot make it fail", h->lsm_hook);
	}
	compile_selectors(hc);
}

/* ---- uprobes ------------------------------------------------------------ */

void compile_uprobe(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;
	int r;

	hc->out->cfg.op = RTENF_OP_UPROBE;
	hc->out->mechanism = MECH_UPROBE;
	hc->out->function = xstrdup(hc->function);
	hc->out->attach = xstrdup(hc->function);
	hc->out->binary = xstrdup(h->path);
	if (!kv_has(hc, FEAT_UPROBE))
		ERR(hc, h->loc, "uprobes need %s", remedy_of(FEAT_UPROBE));
	r = hc->kv->elf_symbol ? hc->kv->elf_symbol(hc->kv, h->path, hc->function) : 0;
	if (r == -ENOENT && !access(h->path, F_OK))
		ERR(hc, h->symbol_locs[0].line ? h->symbol_locs[0] : h->loc, "%s has no function %s", h->path,
		    hc->function);
	else if (r == -ENOEXEC)
		ERR(hc, h->path_loc, "%s is not an ELF binary or library", h->path);
	else if (r < 0 && !hc->kv->offline)
		ERR(hc, h->path_loc, "cannot read %s: %s", h->path, strerror(-r));
	if (hook_has_action(h, PACT_OVERRIDE))
		ERR(hc, h->loc, "Override is not possible on a uprobe: a user-space function cannot be made to fail");
	compile_function_args(hc, RTENF_ORIGIN_REGS, 6);
	compile_selectors(hc);
}
