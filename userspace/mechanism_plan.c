// SPDX-License-Identifier: GPL-2.0-only
#include "mechanism_plan.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy.h"
#include "util.h"

_Static_assert(FEAT_COUNT <= 64, "mechanism_plan.asked holds one bit per feature");
_Static_assert(HOOK_CLASS_COUNT <= sizeof(unsigned) * CHAR_BIT, "changes[] holds one bit per class");

#define POLICY_HEAD                          \
	"apiVersion: cilium.io/v1alpha1\n"   \
	"kind: TracingPolicy\n"              \
	"metadata:\n"                        \
	"  name: rtenf-probe-plan\n"         \
	"spec:\n"

#define GETPPID_TRACEPOINT                   \
	"  tracepoints:\n"                   \
	"  - subsystem: syscalls\n"          \
	"    event: sys_enter_getppid\n"

#define OVERRIDE_EPERM                       \
	"    selectors:\n"                   \
	"    - matchActions:\n"              \
	"      - action: Override\n"         \
	"        argError: -1\n"

/* A function rtenf's own executable surely has: the path is filled in
 * when planning, as a single-quoted YAML scalar. */
#define UPROBE_SPEC                          \
	"  uprobes:\n"                       \
	"  - path: '%s'\n"                   \
	"    symbols: [" RTENF_UPROBE_TARGET "]\n"

struct class_desc {
	const char *name;
	const char *label;
	const char *spec; /* the representative hook, under spec: */
	/* The class is about an action, not a hook: its mechanism is the
	 * helper that carries the action, whatever hook it rides on. */
	const char *action;
	const char *action_detail;
	/* Hooks of this class are there to deny; one that cannot is only
	 * observing. */
	bool denies;
};

static const struct class_desc classes[HOOK_CLASS_COUNT] = {
	[HOOK_CLASS_TRACEPOINT] = {
		"tracepoint", "tracepoint hooks", GETPPID_TRACEPOINT,
	},
	[HOOK_CLASS_KPROBE_SYSCALL] = {
		"kprobe_syscall", "kprobe hooks on syscalls",
		"  kprobes:\n"
		"  - call: sys_getppid\n"
		"    syscall: true\n",
	},
	[HOOK_CLASS_KPROBE_FUNCTION] = {
		"kprobe_function", "kprobe hooks on other kernel functions",
		"  kprobes:\n"
		"  - call: security_file_open\n"
		"    syscall: false\n"
		"    args:\n"
		"    - index: 0\n"
		"      type: file\n",
	},
	[HOOK_CLASS_LSMHOOK] = {
		"lsmhook", "lsmhooks",
		"  lsmhooks:\n"
		"  - hook: file_open\n"
		"    args:\n"
		"    - index: 0\n"
		"      type: file\n",
		.denies = true,
	},
	[HOOK_CLASS_LSMHOOK_SOCKET] = {
		"lsmhook_socket", "lsmhooks socket_connect/bind/sendmsg",
		"  lsmhooks:\n"
		"  - hook: socket_connect\n"
		"    args:\n"
		"    - index: 1\n"
		"      type: sockaddr\n",
		.denies = true,
	},
	[HOOK_CLASS_OVERRIDE] = {
		"override", "Override",
		"  kprobes:\n"
		"  - call: security_file_open\n"
		"    syscall: false\n" OVERRIDE_EPERM,
		.denies = true,
	},
	[HOOK_CLASS_OVERRIDE_SOCKET] = {
		"override_socket", "Override on connect/bind/sendmsg",
		"  kprobes:\n"
		"  - call: sys_connect\n"
		"    syscall: true\n"
		"    args:\n"
		"    - index: 1\n"
		"      type: sockaddr\n" OVERRIDE_EPERM,
		.denies = true,
	},
	[HOOK_CLASS_SIGNAL] = {
		"signal", "Sigkill and Signal",
		GETPPID_TRACEPOINT
		"    selectors:\n"
		"    - matchActions:\n"
		"      - action: Sigkill\n",
		"bpf_send_signal",
		"bpf_send_signal from the hook's program; the process dies before it returns to user space",
	},
	[HOOK_CLASS_UPROBE] = {
		"uprobe", "uprobe hooks", NULL, /* UPROBE_SPEC, with the path filled in */
	},
};

/* What each mechanism does for a hook, for the detail column. */
static const char *mechanism_detail(enum hook_mechanism m)
{
	switch (m) {
	case MECH_TRACEPOINT:
		return "tracepoint programs on the policy's tracepoints";
	case MECH_RAW_TRACEPOINT:
		return "raw tracepoint programs";
	case MECH_SYSCALL_TRACEPOINT:
		return "the syscall's own tracepoints (syscalls/sys_enter_*, sys_exit_*) in place of kprobes";
	case MECH_KPROBE:
		return "one kprobe per function";
	case MECH_KPROBE_MULTI:
		return "one kprobe.multi link for all of a hook's functions";
	case MECH_KPROBE_OVERRIDE:
		return "a kprobe that fails the call with bpf_override_return (error-injectable functions only)";
	case MECH_FENTRY:
		return "fentry programs (BPF trampolines)";
	case MECH_FEXIT:
		return "fexit programs (BPF trampolines)";
	case MECH_FMOD_RET:
		return "fmod_ret programs (BPF trampolines) that can replace the function's return value";
	case MECH_LSM:
		return "BPF LSM programs: observe and deny";
	case MECH_UPROBE:
		return "uprobes on the binaries' functions";
	case MECH_CGROUP_SOCK:
		return "cgroup connect, bind and sendmsg programs on the cgroup v2 root: they see only the "
		       "address and deny with EPERM";
	}
	return "?";
}

/* Whether a hook attached this way can make the call fail. */
static bool mechanism_denies(enum hook_mechanism m)
{
	return m == MECH_LSM || m == MECH_FMOD_RET || m == MECH_KPROBE_OVERRIDE || m == MECH_CGROUP_SOCK;
}

/* The kernel the compiler sees: kv as given, except that has() answers
 * from the probe states and notes what was asked. */
struct asking_view {
	struct kernel_view kv; /* first: has() is handed &kv and gets back to the rest */
	const enum feature_state *states;
	uint64_t asked;
};

static bool answer_from_states(const struct kernel_view *kv, enum feature f)
{
	/* kv is the first member of an asking_view on plan_one's stack, so
	 * casting the const away is sound */
	struct asking_view *v = (struct asking_view *)kv;

	v->asked |= 1ull << f;
	return v->states[f] == FEATURE_YES;
}

/* The class's policy text; caller frees. */
static char *policy_text(enum hook_class c)
{
	struct strbuf path = {0};
	char *exe, *text;

	if (c != HOOK_CLASS_UPROBE)
		return xasprintf(POLICY_HEAD "%s", classes[c].spec);
	/* the file a user would name, not the /proc link */
	exe = realpath("/proc/self/exe", NULL);
	for (const char *s = exe ? exe : "/proc/self/exe"; *s; s++) {
		if (*s == '\'')
			sb_putc(&path, '\''); /* '' is a quote inside single quotes */
		sb_putc(&path, *s);
	}
	text = xasprintf(POLICY_HEAD UPROBE_SPEC, path.buf);
	free(exe);
	sb_free(&path);
	return text;
}

/* "kprobe_multi, kprobe and fentry": the unknown features the compiler
 * asked about. */
static char *unknown_detail(uint64_t unknown)
{
	struct strbuf sb = {0};
	int n = 0, left = __builtin_popcountll(unknown);

	sb_puts(&sb, "unknown until run as root: the compiler's choice depends on ");
	for (int f = 0; f < FEAT_COUNT; f++) {
		if (!(unknown & (1ull << f)))
			continue;
		sb_printf(&sb, "%s%s", n == 0 ? "" : n + 1 == left ? " and " : ", ", feature_name(f));
		n++;
	}
	return sb_steal(&sb);
}

static char *first_error(const struct diag_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR)
			return xstrdup(d->v[i].msg);
	return xstrdup("refused without a message");
}

void mechanism_plan_make(struct mechanism_plan *out, enum hook_class c, const struct kernel_view *kv,
			 const enum feature_state states[FEAT_COUNT])
{
	struct asking_view v = {.kv = *kv, .states = states};
	const struct class_desc *d = &classes[c];
	struct compiled_policy *cp = NULL;
	struct diag_list diags = {0};
	char *text = policy_text(c);
	uint64_t unknown = 0;
	struct policy *p;

	memset(out, 0, sizeof(*out));
	v.kv.has = answer_from_states;
	p = policy_parse(text, strlen(text), "rtenf-probe-plan.yaml", &diags);
	if (p)
		cp = policy_compile(p, &v.kv, &diags);
	out->asked = v.asked;
	for (int f = 0; f < FEAT_COUNT; f++)
		if (states[f] == FEATURE_UNKNOWN)
			unknown |= 1ull << f;
	/* The agent also refuses a policy it could not check against tracefs
	 * and BTF (cp->kernel_checked).  That is about reading this kernel,
	 * not about mechanisms, so the plan still shows the compiler's
	 * choice. */
	if (v.asked & unknown) {
		out->outcome = PLAN_UNKNOWN;
		out->detail = unknown_detail(v.asked & unknown);
	} else if (!cp) {
		out->outcome = PLAN_NONE;
		out->detail = first_error(&diags);
	} else {
		out->outcome = PLAN_CHOSEN;
		out->mechanism = cp->hooks[0].mechanism;
		out->observe_only = d->denies && !mechanism_denies(out->mechanism);
		if (d->action)
			out->detail = xstrdup(d->action_detail);
		else if (out->observe_only)
			out->detail = xasprintf("%s; observe and signal only, cannot deny",
						mechanism_detail(out->mechanism));
		else
			out->detail = xstrdup(mechanism_detail(out->mechanism));
	}
	compiled_policy_free(cp);
	policy_free(p);
	diag_list_free(&diags);
	free(text);
}

void mechanism_plan_free(struct mechanism_plan *p)
{
	free(p->detail);
	p->detail = NULL;
}

static bool same_choice(const struct mechanism_plan *a, const struct mechanism_plan *b)
{
	return a->outcome == b->outcome && (a->outcome != PLAN_CHOSEN || a->mechanism == b->mechanism);
}

void mechanism_plans_make(struct mechanism_plans *out, const struct kernel_view *kv,
			  const enum feature_state states[FEAT_COUNT])
{
	enum feature_state flipped[FEAT_COUNT];

	memset(out, 0, sizeof(*out));
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		const struct mechanism_plan *base = &out->of[c];

		mechanism_plan_make(&out->of[c], c, kv, states);
		if (base->outcome == PLAN_UNKNOWN)
			continue;
		for (int f = 0; f < FEAT_COUNT; f++) {
			struct mechanism_plan alt;

			if (states[f] != FEATURE_NO || !(base->asked & (1ull << f)))
				continue;
			memcpy(flipped, states, sizeof(flipped));
			flipped[f] = FEATURE_YES;
			mechanism_plan_make(&alt, c, kv, flipped);
			if (!same_choice(base, &alt))
				out->changes[f] |= 1u << c;
			mechanism_plan_free(&alt);
		}
	}
}

void mechanism_plans_free(struct mechanism_plans *p)
{
	for (int c = 0; c < HOOK_CLASS_COUNT; c++)
		mechanism_plan_free(&p->of[c]);
}

const char *mechanism_plan_name(enum hook_class c, const struct mechanism_plan *p)
{
	switch (p->outcome) {
	case PLAN_UNKNOWN:
		return "unknown";
	case PLAN_NONE:
		return "none";
	case PLAN_CHOSEN:
		break;
	}
	return classes[c].action ? classes[c].action : hook_mechanism_name(p->mechanism);
}

const char *hook_class_name(enum hook_class c)
{
	return classes[c].name;
}

const char *hook_class_label(enum hook_class c)
{
	return classes[c].label;
}
