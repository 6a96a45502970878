// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook events in the compact format:
 *
 *   ☠️  tracepoint vm /usr/bin/unshare syscalls/sys_enter_unshare 0x20000000 [kill-unshare] SIGKILL
 *   📬 open    vm /usr/bin/cat /etc/shadow [deny-shadow] OVERRIDE -EPERM (audit)
 *   🔌 connect vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443 [net-watch]
 *   🔒 LSM     vm /usr/bin/cat file_open /etc/passwd [block-passwd] OVERRIDE -EACCES
 *   🕵️  uprobe  vm /usr/bin/bash /usr/bin/bash readline line=ls [watch-readline]
 *
 * Kprobes on well-known functions read as Tetragon's compact encoder shows
 * them (its emoji and kind, the file or the connection as detail); other
 * kprobes are "syscall" with the function and its arguments.  Every hook
 * line ends with the policy and the action, marked "(audit)" when the
 * policy only watched and "(failed)" when enforcing did not work.
 */
#include "compact_line.h"

#include <inttypes.h>
#include <string.h>

#include "names.h"

static bool action_is_signal(rtenf_KprobeAction a)
{
	return a == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL || a == rtenf_KprobeAction_KPROBE_ACTION_SIGNAL;
}

/* Actions that change what the process can do, as opposed to reporting. */
static bool action_is_enforcing(rtenf_KprobeAction a)
{
	return action_is_signal(a) || a == rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE;
}

const char *compact_action_emoji(rtenf_KprobeAction a, const char *otherwise)
{
	if (action_is_signal(a))
		return EMOJI_KILL;
	if (a == rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE)
		return EMOJI_OVERRIDE;
	return otherwise;
}

/* "SIGKILL", "SIGUSR1", "OVERRIDE -EPERM"; nothing for actions that only
 * report (POST), which would be noise on every line.  An override makes
 * the call return -errno, so the errno is shown negative whichever sign
 * the event carries it with. */
static void put_action(struct strbuf *sb, const struct hook_view *h)
{
	const char *name;

	switch (h->action) {
	case rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN:
	case rtenf_KprobeAction_KPROBE_ACTION_POST:
	case rtenf_KprobeAction_KPROBE_ACTION_NOPOST:
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_SIGKILL:
		sb_puts(sb, "SIGKILL");
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_SIGNAL:
		name = signal_name(h->signal);
		if (name)
			sb_puts(sb, name);
		else if (h->signal)
			sb_printf(sb, "SIGNAL %" PRIu32, h->signal);
		else
			sb_puts(sb, "SIGNAL");
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE:
		sb_puts(sb, "OVERRIDE");
		if (h->error) {
			name = errno_name(h->error);
			if (name)
				sb_printf(sb, " -%s", name);
			else
				sb_printf(sb, " -%" PRId64, h->error < 0 ? -(int64_t)h->error : (int64_t)h->error);
		}
		return;
	default:
		/* FOLLOWFD and friends: the enum name without its prefix. */
		name = kprobe_action_name(h->action);
		sb_puts(sb, name + strlen("KPROBE_ACTION_"));
		return;
	}
}

void compact_hook_trailer(struct line *l, const struct hook_view *h)
{
	if (h->policy_name && *h->policy_name) {
		sb_putc(&l->part, '[');
		term_safe_str(&l->part, h->policy_name);
		sb_putc(&l->part, ']');
		line_emit(l, NULL);
	}
	put_action(&l->part, h);
	line_emit(l, ANSI_RED);
	/* Say when an enforcing action did not happen, and why. */
	if (action_is_enforcing(h->action) && !h->enforced) {
		if (h->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT)
			sb_puts(&l->part, "(audit)");
		else if (h->policy_mode == rtenf_PolicyMode_POLICY_MODE_ENFORCE)
			sb_puts(&l->part, "(failed)");
		line_emit(l, NULL);
	}
}

void compact_tracepoint(struct line *l, const rtenf_Event *ev)
{
	const rtenf_ProcessTracepoint *t = &ev->event.process_tracepoint;
	struct hook_view h;

	event_hook_view(ev, &h);
	line_kind(l, compact_action_emoji(t->action, EMOJI_OBSERVE), "tracepoint", ANSI_BLUE);
	line_process(l, ev->node_name, t->process);
	/* Detail: subsys/event and the arguments, one cyan stretch. */
	term_safe_str(&l->part, t->subsys);
	if (t->event && *t->event) {
		sb_putc(&l->part, '/');
		term_safe_str(&l->part, t->event);
	}
	compact_put_arguments(&l->part, t->args, t->args_count);
	compact_put_data(&l->part, t->data, t->data_count);
	line_emit(l, ANSI_CYAN);
	compact_hook_trailer(l, &h);
}

void compact_lsm(struct line *l, const rtenf_Event *ev)
{
	const rtenf_ProcessLsm *m = &ev->event.process_lsm;
	struct hook_view h;

	event_hook_view(ev, &h);
	line_kind(l, EMOJI_LSM, "LSM", ANSI_BLUE);
	line_process(l, ev->node_name, m->process);
	term_safe_str(&l->part, m->function_name);
	compact_put_arguments(&l->part, m->args, m->args_count);
	compact_put_data(&l->part, m->data, m->data_count);
	line_emit(l, ANSI_CYAN);
	compact_hook_trailer(l, &h);
}

void compact_uprobe(struct line *l, const rtenf_Event *ev)
{
	const rtenf_ProcessUprobe *u = &ev->event.process_uprobe;
	struct hook_view h;

	event_hook_view(ev, &h);
	line_kind(l, EMOJI_UPROBE, "uprobe", ANSI_BLUE);
	line_process(l, ev->node_name, u->process);
	term_safe_str(&l->part, u->path);
	if (u->symbol && *u->symbol) {
		if (l->part.len)
			sb_putc(&l->part, ' ');
		term_safe_str(&l->part, u->symbol);
	}
	compact_put_arguments(&l->part, u->args, u->args_count);
	compact_put_data(&l->part, u->data, u->data_count);
	line_emit(l, ANSI_CYAN);
	compact_hook_trailer(l, &h);
}
