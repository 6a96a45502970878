// SPDX-License-Identifier: GPL-2.0-only
/*
 * process_kprobe in the compact format.  Functions Tetragon's compact
 * encoder knows read the same here: an emoji and a kind naming the
 * operation, and as detail the file or the connection rather than the raw
 * arguments:
 *
 *   📬 open    vm /usr/bin/cat /etc/shadow
 *   📝 write   vm /usr/bin/tee /etc/hosts 12 bytes
 *   🔌 connect vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443
 *   📤 sendmsg vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443 bytes 517
 *
 * Any other function is "syscall", the function name and its arguments.
 */
#include "compact_line.h"

#include <inttypes.h>
#include <string.h>

#include "util.h"

enum kprobe_detail {
	DETAIL_PATH,             /* the first file, path or string */
	DETAIL_TWO_PATHS,        /* source and target: mount, pivot_root */
	DETAIL_PATH_BYTES,       /* the file and the byte count: read, write */
	DETAIL_CONNECTION,       /* the socket's connection */
	DETAIL_CONNECTION_BYTES, /* the connection and the byte count: sendmsg */
	DETAIL_ARGS,             /* the arguments as they are */
};

struct kprobe_look {
	const char *function; /* without the syscall wrapper's arch prefix */
	const char *emoji;
	const char *kind;
	enum kprobe_detail detail;
};

static const struct kprobe_look well_known[] = {
	{"fd_install", EMOJI_OPEN, "open", DETAIL_PATH},
	{"security_file_open", EMOJI_OPEN, "open", DETAIL_PATH},
	{"sys_open", EMOJI_OPEN, "open", DETAIL_PATH},
	{"sys_openat", EMOJI_OPEN, "openat", DETAIL_PATH},
	{"sys_openat2", EMOJI_OPEN, "openat2", DETAIL_PATH},
	{"sys_close", EMOJI_CLOSE, "close", DETAIL_PATH},
	{"sys_read", EMOJI_READ, "read", DETAIL_PATH_BYTES},
	{"sys_write", EMOJI_WRITE, "write", DETAIL_PATH_BYTES},
	{"security_path_truncate", EMOJI_WRITE, "truncate", DETAIL_PATH},
	{"sys_mount", EMOJI_MOUNT, "mount", DETAIL_TWO_PATHS},
	{"sys_pivot_root", EMOJI_MOUNT, "pivot_root", DETAIL_TWO_PATHS},
	{"sys_setuid", EMOJI_SETUID, "setuid", DETAIL_ARGS},
	{"tcp_connect", EMOJI_CONNECT, "connect", DETAIL_CONNECTION},
	{"security_socket_connect", EMOJI_CONNECT, "connect", DETAIL_CONNECTION},
	{"tcp_close", EMOJI_SOCK_END, "close", DETAIL_CONNECTION},
	{"tcp_sendmsg", EMOJI_SENDMSG, "sendmsg", DETAIL_CONNECTION_BYTES},
};

/* security_file_permission is a read or a write depending on its mask
 * argument (MAY_WRITE, MAY_READ in the kernel's fs.h). */
#define MAY_WRITE 0x2
#define MAY_READ  0x4
static const struct kprobe_look file_write = {NULL, EMOJI_WRITE, "write", DETAIL_PATH};
static const struct kprobe_look file_read = {NULL, EMOJI_READ, "read", DETAIL_PATH};

/* Syscall wrappers are named per arch ("__x64_sys_write",
 * "__arm64_sys_write", "__ia32_compat_sys_openat"): look them up as
 * "sys_write". */
static const char *without_arch_prefix(const char *function)
{
	const char *sys;

	if (strncmp(function, "__", 2))
		return function;
	sys = strstr(function + 2, "_sys_");
	return sys ? sys + 1 : function;
}

static bool is_integer(const rtenf_KprobeArgument *a)
{
	switch (a->which_arg) {
	case rtenf_KprobeArgument_int_arg_tag:
	case rtenf_KprobeArgument_uint_arg_tag:
	case rtenf_KprobeArgument_long_arg_tag:
	case rtenf_KprobeArgument_size_arg_tag:
		return true;
	default:
		return false;
	}
}

static int64_t integer_value(const rtenf_KprobeArgument *a)
{
	switch (a->which_arg) {
	case rtenf_KprobeArgument_int_arg_tag:
		return a->arg.int_arg;
	case rtenf_KprobeArgument_uint_arg_tag:
		return a->arg.uint_arg;
	case rtenf_KprobeArgument_long_arg_tag:
		return a->arg.long_arg;
	default:
		return (int64_t)a->arg.size_arg;
	}
}

/* The byte count of read, write and sendmsg: their last integer argument
 * (count, size), whatever the policy put before it. */
static const rtenf_KprobeArgument *byte_count(const rtenf_ProcessKprobe *k)
{
	for (pb_size_t i = k->args_count; i > 0; i--)
		if (is_integer(&k->args[i - 1]))
			return &k->args[i - 1];
	return NULL;
}

static const struct kprobe_look *look_of(const rtenf_ProcessKprobe *k)
{
	const char *function = without_arch_prefix(k->function_name ? k->function_name : "");

	for (size_t i = 0; i < ARRAY_SIZE(well_known); i++)
		if (!strcmp(well_known[i].function, function))
			return &well_known[i];
	if (!strcmp(function, "security_file_permission")) {
		for (pb_size_t i = 0; i < k->args_count; i++) {
			if (!is_integer(&k->args[i]))
				continue;
			if (integer_value(&k->args[i]) & MAY_WRITE)
				return &file_write;
			if (integer_value(&k->args[i]) & MAY_READ)
				return &file_read;
			break;
		}
	}
	return NULL;
}

/* Appends up to max paths, space-separated. */
static void put_paths(struct strbuf *sb, const rtenf_ProcessKprobe *k, int max)
{
	for (pb_size_t i = 0; i < k->args_count && max > 0; i++) {
		const char *path = compact_argument_path(&k->args[i]);

		if (!path)
			continue;
		if (sb->len)
			sb_putc(sb, ' ');
		term_safe_str(sb, path);
		if (k->args[i].truncated)
			sb_puts(sb, "...");
		max--;
	}
}

static void put_connection(struct strbuf *sb, const rtenf_ProcessKprobe *k)
{
	const rtenf_KprobeSock *sock = NULL;
	const rtenf_KprobeSockaddr *to = NULL;

	for (pb_size_t i = 0; i < k->args_count; i++) {
		if (k->args[i].which_arg == rtenf_KprobeArgument_sock_arg_tag && !sock)
			sock = &k->args[i].arg.sock_arg;
		if (k->args[i].which_arg == rtenf_KprobeArgument_sockaddr_arg_tag && !to)
			to = &k->args[i].arg.sockaddr_arg;
	}
	if (sock || to)
		compact_put_connection(sb, sock, to);
}

static void put_detail(struct strbuf *sb, const rtenf_ProcessKprobe *k, enum kprobe_detail detail)
{
	const rtenf_KprobeArgument *bytes = byte_count(k);

	switch (detail) {
	case DETAIL_PATH:
		put_paths(sb, k, 1);
		break;
	case DETAIL_TWO_PATHS:
		put_paths(sb, k, 2);
		break;
	case DETAIL_PATH_BYTES:
		put_paths(sb, k, 1);
		if (bytes)
			sb_printf(sb, "%s%" PRId64 " bytes", sb->len ? " " : "", integer_value(bytes));
		break;
	case DETAIL_CONNECTION:
		put_connection(sb, k);
		break;
	case DETAIL_CONNECTION_BYTES:
		put_connection(sb, k);
		if (bytes)
			sb_printf(sb, "%sbytes %" PRId64, sb->len ? " " : "", integer_value(bytes));
		break;
	case DETAIL_ARGS:
		compact_put_arguments(sb, k->args, k->args_count);
		break;
	}
	/* The policy captured something else than expected: show that
	 * rather than nothing. */
	if (!sb->len)
		compact_put_arguments(sb, k->args, k->args_count);
}

void compact_kprobe(struct line *l, const rtenf_Event *ev)
{
	const rtenf_ProcessKprobe *k = &ev->event.process_kprobe;
	const struct kprobe_look *look = look_of(k);
	struct hook_view h;

	event_hook_view(ev, &h);
	if (look) {
		line_kind(l, look->emoji, look->kind, ANSI_BLUE);
		line_process(l, ev->node_name, k->process);
		put_detail(&l->part, k, look->detail);
	} else {
		line_kind(l, compact_action_emoji(k->action, EMOJI_SYSCALL), "syscall", ANSI_BLUE);
		line_process(l, ev->node_name, k->process);
		term_safe_str(&l->part, k->function_name);
		compact_put_arguments(&l->part, k->args, k->args_count);
	}
	compact_put_data(&l->part, k->data, k->data_count);
	line_emit(l, ANSI_CYAN);
	compact_hook_trailer(l, &h);
}
