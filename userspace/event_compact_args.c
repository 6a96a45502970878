// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook arguments in the compact format: what a person scanning a terminal
 * needs, not every field (that is what -o json is for).  Files show their
 * path, sockets their connection the way Tetragon's compact lines do
 * ("tcp 10.0.0.1:43122 -> 1.1.1.1:443"), capability masks their names.
 */
#include "compact_line.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "names.h"
#include "syscall_names.h"

/* How many bytes of a bytes_arg to show: it is a buffer, not a name. */
#define BYTES_SHOWN 64

static bool is_set(const char *s)
{
	return s && *s;
}

/* "addr:port", with IPv6 addresses in brackets so the port stays
 * readable.  with_port: print the port even when it is 0 (an inet socket
 * has one; a unix socket's path has none). */
static void put_endpoint(struct strbuf *sb, const char *addr, uint32_t port, bool with_port)
{
	bool v6 = is_set(addr) && strchr(addr, ':');

	if (v6)
		sb_putc(sb, '[');
	term_safe_str(sb, is_set(addr) ? addr : "*");
	if (v6)
		sb_putc(sb, ']');
	if (port || with_port)
		sb_printf(sb, ":%" PRIu32, port);
}

static bool is_inet(const char *family)
{
	return family && (!strcmp(family, "AF_INET") || !strcmp(family, "AF_INET6"));
}

/* "IPPROTO_TCP" reads as "tcp", as in Tetragon's lines. */
static void put_protocol_word(struct strbuf *sb, const char *protocol)
{
	const char *p = protocol;

	if (!strncmp(p, "IPPROTO_", 8) && p[8])
		p += 8;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) || c == '_')
			sb_putc(sb, (char)tolower(c));
		else
			sb_printf(sb, "\\x%02x", c);
	}
}

void compact_put_connection(struct strbuf *sb, const rtenf_KprobeSock *sock, const rtenf_KprobeSockaddr *to)
{
	const char *daddr = to ? to->addr : sock ? sock->daddr : NULL;
	uint32_t dport = to ? to->port : sock ? sock->dport : 0;
	bool dport_always = to ? is_inet(to->family) : true;
	size_t start = sb->len;

	if (sock && is_set(sock->protocol))
		put_protocol_word(sb, sock->protocol);
	if (sock && (is_set(sock->saddr) || sock->sport)) {
		if (sb->len > start)
			sb_putc(sb, ' ');
		put_endpoint(sb, sock->saddr, sock->sport, true);
	}
	if (is_set(daddr) || dport) {
		if (sb->len > start)
			sb_putc(sb, ' ');
		sb_puts(sb, "-> ");
		put_endpoint(sb, daddr, dport, dport_always);
	}
}

/* A packet: "udp 127.0.0.1:40000 -> 127.0.0.1:53 len=29", ports only for
 * TCP and UDP, and "len=N" alone for a packet that is not IP. */
static void put_skb(struct strbuf *sb, const rtenf_KprobeSkb *k)
{
	bool ports = k->sport || k->dport;
	size_t start = sb->len;

	if (is_set(k->protocol))
		put_protocol_word(sb, k->protocol);
	if (is_set(k->saddr)) {
		if (sb->len > start)
			sb_putc(sb, ' ');
		put_endpoint(sb, k->saddr, k->sport, ports);
		sb_puts(sb, " -> ");
		put_endpoint(sb, k->daddr, k->dport, ports);
	}
	if (sb->len > start)
		sb_putc(sb, ' ');
	sb_printf(sb, "len=%" PRIu32, k->len);
	if (k->mark)
		sb_printf(sb, " mark=0x%" PRIx32, k->mark);
}

const char *compact_argument_path(const rtenf_KprobeArgument *a)
{
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		return a->arg.string_arg;
	case rtenf_KprobeArgument_file_arg_tag:
		return a->arg.file_arg.path;
	case rtenf_KprobeArgument_path_arg_tag:
		return a->arg.path_arg.path;
	case rtenf_KprobeArgument_linux_binprm_arg_tag:
		return a->arg.linux_binprm_arg.path;
	default:
		return NULL;
	}
}

/* "CAP_CHOWN,CAP_SYS_ADMIN", unnamed bits by number, "0" when empty.
 * Commas, not spaces: the line separates arguments with spaces. */
static void put_cap_names(struct strbuf *sb, uint64_t mask)
{
	bool first = true;

	if (!mask) {
		sb_putc(sb, '0');
		return;
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name = capability_name(bit);

		if (!(mask & (1ull << bit)))
			continue;
		if (!first)
			sb_putc(sb, ',');
		first = false;
		if (name)
			sb_puts(sb, name);
		else
			sb_printf(sb, "%u", bit);
	}
}

/* The ids that decide what a process may do, in braces so the group reads
 * as one argument. */
static void put_cred(struct strbuf *sb, const rtenf_KprobeCred *c)
{
	sb_printf(sb, "{uid=%" PRIu32 " gid=%" PRIu32 " euid=%" PRIu32 " egid=%" PRIu32, c->uid, c->gid, c->euid,
		  c->egid);
	if (c->has_caps && c->caps.effective) {
		sb_puts(sb, " caps=");
		put_cap_names(sb, c->caps.effective);
	}
	sb_putc(sb, '}');
}

static void put_bytes(struct strbuf *sb, const rtenf_KprobeArgument *a)
{
	const pb_bytes_array_t *b = a->arg.bytes_arg;
	size_t n = b ? b->size : 0;

	sb_putc(sb, '"');
	if (b)
		term_safe(sb, (const char *)b->bytes, n < BYTES_SHOWN ? n : BYTES_SHOWN);
	sb_putc(sb, '"');
	if (n > BYTES_SHOWN && !a->truncated)
		sb_puts(sb, "...");
}

/* "dup", "i386/dup" for a 32-bit syscall, the number when the name is
 * unknown ("i386/450"). */
static void put_syscall_id(struct strbuf *sb, const rtenf_KprobeSyscallId *id)
{
	if (is_set(id->abi) && strcmp(id->abi, syscall_native_abi()))
		sb_printf(sb, "%s/", id->abi);
	if (is_set(id->name))
		term_safe_str(sb, id->name);
	else
		sb_printf(sb, "%" PRIu32, id->id);
}

void compact_put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a)
{
	const rtenf_KprobeSockaddr *sa = &a->arg.sockaddr_arg;

	if (is_set(a->label)) {
		term_safe_str(sb, a->label);
		sb_putc(sb, '=');
	}
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
	case rtenf_KprobeArgument_file_arg_tag:
	case rtenf_KprobeArgument_path_arg_tag:
	case rtenf_KprobeArgument_linux_binprm_arg_tag:
		term_safe_str(sb, compact_argument_path(a));
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		sb_printf(sb, "%" PRId32, a->arg.int_arg);
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		sb_printf(sb, "%" PRIu32, a->arg.uint_arg);
		break;
	case rtenf_KprobeArgument_long_arg_tag:
		sb_printf(sb, "%" PRId64, a->arg.long_arg);
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		/* Unsigned 64-bit syscall arguments are mostly flag words
		 * (unshare, clone, mmap): hex shows their bits. */
		sb_printf(sb, "0x%" PRIx64, a->arg.size_arg);
		break;
	case rtenf_KprobeArgument_bytes_arg_tag:
		put_bytes(sb, a);
		break;
	case rtenf_KprobeArgument_sock_arg_tag:
		compact_put_connection(sb, &a->arg.sock_arg, NULL);
		break;
	case rtenf_KprobeArgument_sockaddr_arg_tag:
		put_endpoint(sb, sa->addr, sa->port, is_inet(sa->family));
		break;
	case rtenf_KprobeArgument_process_credentials_arg_tag:
		put_cred(sb, &a->arg.process_credentials_arg);
		break;
	case rtenf_KprobeArgument_skb_arg_tag:
		put_skb(sb, &a->arg.skb_arg);
		break;
	case rtenf_KprobeArgument_kernel_cap_t_arg_tag:
		put_cap_names(sb, a->arg.kernel_cap_t_arg);
		break;
	case rtenf_KprobeArgument_cap_inheritable_arg_tag:
		put_cap_names(sb, a->arg.cap_inheritable_arg);
		break;
	case rtenf_KprobeArgument_cap_permitted_arg_tag:
		put_cap_names(sb, a->arg.cap_permitted_arg);
		break;
	case rtenf_KprobeArgument_cap_effective_arg_tag:
		put_cap_names(sb, a->arg.cap_effective_arg);
		break;
	case rtenf_KprobeArgument_syscall_id_tag:
		put_syscall_id(sb, &a->arg.syscall_id);
		break;
	default:
		sb_putc(sb, '?');
		break;
	}
	if (a->truncated)
		sb_puts(sb, "...");
}

void compact_put_arguments(struct strbuf *sb, const rtenf_KprobeArgument *args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (sb->len)
			sb_putc(sb, ' ');
		compact_put_argument(sb, &args[i]);
	}
}

/* A hook's data entries after its arguments, marked so they are not read
 * as more arguments: "data 65534 sh". */
void compact_put_data(struct strbuf *sb, const rtenf_KprobeArgument *data, size_t n)
{
	if (!n)
		return;
	if (sb->len)
		sb_putc(sb, ' ');
	sb_puts(sb, "data");
	compact_put_arguments(sb, data, n);
}
