/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What happens when a selector matches: apply its actions in enforce mode,
 * only record them in audit mode, count everything, and post the event with
 * the hook's arguments.  The mode comes from policy_state on every match, so
 * `rtenf mode` takes effect on the next event with no reload.
 */
#ifndef RTENF_ACTIONS_BPF_H
#define RTENF_ACTIONS_BPF_H

#include "hook.bpf.h"

#define RTENF_DATA_MASK (RTENF_EVENT_DATA_MAX - 1)
#define RTENF_ARG_MASK  (RTENF_EVENT_ARG_MAX - 1)

/* Appends argument a to the event; returns false when the event is full. */
static __always_inline bool emit_arg(struct hook_env *env, struct rtenf_event_buf *eb, __u32 a)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u32 off = hs->out_off, type = rtenf_cfg.args[a].type, len = 0;
	struct rtenf_msg_arg *hdr;
	__u8 *dst;

	if (off > RTENF_EVENT_DATA_MAX - sizeof(*hdr) - 8)
		return false;
	off &= RTENF_DATA_MASK;
	hdr = (void *)&eb->data[off];
	dst = &eb->data[(off + sizeof(*hdr)) & RTENF_DATA_MASK];
	hdr->type = type;
	hdr->flags = 0;

	if (type == RTENF_ARG_STRING) {
		struct rtenf_str_slot *slot;
		__s32 slen = arg_string(env, a, &slot);

		if (slen < 0) {
			hdr->flags |= RTENF_ARG_F_UNREADABLE;
		} else if (slot) {
			len = slen;
			if (len > RTENF_EVENT_ARG_MAX - 1) {
				len = RTENF_EVENT_ARG_MAX - 1;
				hdr->flags |= RTENF_ARG_F_TRUNCATED;
			}
			if (off + sizeof(*hdr) + len > RTENF_EVENT_DATA_MAX) {
				len = RTENF_EVENT_DATA_MAX - off - sizeof(*hdr);
				hdr->flags |= RTENF_ARG_F_TRUNCATED;
			}
			bpf_probe_read_kernel(dst, len & RTENF_ARG_MASK, slot->str);
		}
	} else if (type == RTENF_ARG_CHAR_BUF) {
		__u32 sa = rtenf_cfg.args[a].size_arg;
		__u64 want = sa < RTENF_MAX_ARGS ? arg_int(env, sa) : 0;
		void *ptr;

		load_raw_args(env);
		ptr = (void *)hs->raw[a & (RTENF_MAX_ARGS - 1)];
		len = want;
		if (want > RTENF_EVENT_ARG_MAX - 1) {
			len = RTENF_EVENT_ARG_MAX - 1;
			hdr->flags |= RTENF_ARG_F_TRUNCATED;
		}
		if (off + sizeof(*hdr) + len > RTENF_EVENT_DATA_MAX) {
			len = RTENF_EVENT_DATA_MAX - off - sizeof(*hdr);
			hdr->flags |= RTENF_ARG_F_TRUNCATED;
		}
		if (bpf_probe_read_user(dst, len & RTENF_ARG_MASK, ptr)) {
			len = 0;
			hdr->flags |= RTENF_ARG_F_UNREADABLE;
		}
	} else {
		*(__u64 *)dst = arg_int(env, a);
		len = 8;
	}
	len &= RTENF_ARG_MASK;
	hdr->len = len;
	hs->out_off = off + sizeof(*hdr) + len;
	return true;
}

static __always_inline void emit_hook_event(struct hook_env *env, __u32 sel, __u32 action_bits,
					    __u32 action_arg, __u8 flags, __s64 retval,
					    struct rtenf_policy_counters *pc)
{
	struct rtenf_event_buf *eb;
	struct rtenf_process *proc;
	__u32 zero = 0, nargs = 0;
	__u64 size;

	eb = bpf_map_lookup_elem(&event_heap, &zero);
	if (!eb)
		return;
	proc = env_process(env);
	env->hs->out_off = 0;
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		if (a >= rtenf_cfg.nargs)
			break;
		if (!(rtenf_cfg.args[a].flags & RTENF_ARGD_F_EMIT))
			continue;
		if (!emit_arg(env, eb, a)) {
			flags |= RTENF_HOOK_F_TRUNCATED;
			break;
		}
		nargs++;
	}
	eb->m.hdr.op = rtenf_cfg.op;
	eb->m.hdr.flags = flags;
	eb->m.hdr.ktime = bpf_ktime_get_boot_ns();
	fill_msg_task(&eb->m.task, env->task, proc ? proc->exec_id : 0);
	eb->m.policy_id = rtenf_cfg.policy_id;
	eb->m.hook_id = rtenf_cfg.hook_id;
	eb->m.selector = sel;
	eb->m.nargs = nargs;
	eb->m.actions = action_bits;
	eb->m.action_arg = action_arg;
	eb->m.retval = retval;
	size = sizeof(eb->m) + (env->hs->out_off & (RTENF_EVENT_DATA_MAX * 2 - 1));
	if (size > sizeof(*eb))
		size = sizeof(*eb);
	eb->m.hdr.size = size;
	if (bpf_ringbuf_output(&events, eb, size, 0)) {
		count_global(RTENF_CNT_RINGBUF_FULL);
		if (pc)
			pc->ringbuf_full++;
	} else {
		count_global(RTENF_CNT_EMITTED);
		if (pc)
			pc->posted++;
	}
}

/* Runs the actions of selector sel.  mode is the policy's live mode. */
static __always_inline void hook_act(struct hook_env *env, int sel, __u32 mode, __u8 flags, __s64 retval)
{
	struct rtenf_policy_counters *pc = policy_counters_of(rtenf_cfg.policy_slot);
	__u32 s = sel & (RTENF_MAX_SELECTORS - 1);
	__u32 nactions = rtenf_cfg.selectors[s].nactions, sig = 0;
	bool post = true;

	for (__u32 k = 0; k < RTENF_MAX_ACTIONS; k++) {
		if (k >= nactions)
			break;
		switch (rtenf_cfg.selectors[s].actions[k].kind) {
		case RTENF_ACTION_NOPOST:
			post = false;
			break;
		case RTENF_ACTION_SIGKILL:
			sig = 9;
			break;
		case RTENF_ACTION_SIGNAL:
			sig = rtenf_cfg.selectors[s].actions[k].arg;
			break;
		}
	}
	if (pc)
		pc->matched++;
	if (flags & RTENF_HOOK_F_LATE && pc)
		pc->late++;
	if (sig) {
		if (mode == RTENF_MODE_ENFORCE) {
			if (bpf_send_signal(sig) == 0) {
				flags |= RTENF_HOOK_F_ENFORCED;
				if (pc)
					pc->actions_applied++;
			} else {
				flags |= RTENF_HOOK_F_ACTION_FAILED;
				if (pc)
					pc->actions_failed++;
			}
		} else {
			flags |= RTENF_HOOK_F_AUDIT;
			if (pc)
				pc->actions_audited++;
		}
	}
	if (post)
		emit_hook_event(env, s, rtenf_cfg.selectors[s].action_bits, sig, flags, retval, pc);
}

#endif /* RTENF_ACTIONS_BPF_H */
