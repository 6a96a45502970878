// SPDX-License-Identifier: GPL-2.0-only
/*
 * skb arguments on real packets: the test sends UDP datagrams and TCP
 * connections over 127.0.0.1 and ::1 from testprog, and the policy reads
 * the packet the kernel queues.  On every kernel that is the raw
 * tracepoint net/net_dev_queue (its TP_PROTO argument is the struct
 * sk_buff *); where kernel functions can be hooked it is also a kprobe on
 * ip_output().  Each test sends a packet that must not match before one
 * that must, so the first event proves both.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(skb, .fini = stop, .timeout = 120);

#define NO_EVENT_MS 700 /* how long a policy that must not match is watched */

/* A socket of the type bound to the wildcard address of the family on
 * port (0: an ephemeral one), so datagrams to it are received (no ICMP
 * port unreachable to muddle the packets seen) and TCP connections to it
 * complete.  Returns the fd; *port is the port bound. */
static int bound_socket(int family, int type, unsigned *port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET6) {
		int only6 = 1;

		cr_assert_eq(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only6, sizeof(only6)), 0);
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)*port);
	} else {
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)*port);
	}
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		close(fd);
		return -1;
	}
	if (type == SOCK_STREAM)
		cr_assert_eq(listen(fd, 8), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					 : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int udp_port(int family, unsigned *port)
{
	*port = 0;
	return bound_socket(family, SOCK_DGRAM, port);
}

/* A TCP listener and a UDP socket on one port number of the family. */
static void tcp_and_udp_port(int family, int *tcp_fd, int *udp_fd, unsigned *port)
{
	for (int tries = 0; tries < 20; tries++) {
		*port = 0;
		*tcp_fd = bound_socket(family, SOCK_STREAM, port);
		cr_assert_geq(*tcp_fd, 0);
		*udp_fd = bound_socket(family, SOCK_DGRAM, port);
		if (*udp_fd >= 0)
			return;
		close(*tcp_fd);
	}
	cr_assert_fail("no port free for both TCP and UDP");
}

static int testprog_net(const char *op, const char *addr, unsigned port)
{
	char portstr[16];
	char *argv[] = {(char *)testprog_bin(), (char *)op, (char *)addr, portstr, NULL};

	snprintf(portstr, sizeof(portstr), "%u", port);
	return run_wait(argv);
}

static void expect_exit(int status, int code)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == code, "expected exit %d (%s), wait status 0x%x", code,
		  strerror(code), status);
}

/* Where the packet is read: a raw tracepoint, or a kernel function. */
struct skb_hook {
	const char *yaml;    /* the hook's lines up to its args */
	unsigned index;      /* of the skb argument */
	pb_size_t event_tag; /* the kind of event it posts */
};

static const struct skb_hook net_dev_queue = {
	"  tracepoints:\n"
	"  - subsystem: net\n"
	"    event: net_dev_queue\n"
	"    raw: true\n",
	0, rtenf_Event_process_tracepoint_tag};

static const struct skb_hook ip_output = {
	"  kprobes:\n"
	"  - call: ip_output\n"
	"    syscall: false\n",
	2, rtenf_Event_process_kprobe_tag};

/* A policy on the hook's skb: matchArgs lines (each "operator: X" with
 * its values, as YAML under "- index: N"), testprog only, the action. */
static char *skb_policy(const char *name, const struct skb_hook *h, const char *filters, const char *action)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "%s"
			 "    args:\n"
			 "    - index: %u\n"
			 "      type: skb\n"
			 "      label: pkt\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "%s"
			 "      matchBinaries:\n"
			 "      - operator: In\n"
			 "        values: [\"%s\"]\n"
			 "      matchActions:\n"
			 "      - action: %s\n",
			 name, h->yaml, h->index, filters, testprog_bin(), action);
}

/* matchArgs entries on the skb: (operator, values) pairs, NULL-terminated. */
static char *skb_filters(const struct skb_hook *h, ...)
{
	struct strbuf sb = {0};
	const char *op;
	va_list ap;

	va_start(ap, h);
	while ((op = va_arg(ap, const char *))) {
		const char *values = va_arg(ap, const char *);

		sb_printf(&sb,
			  "      - index: %u\n"
			  "        operator: %s\n"
			  "        values: [%s]\n",
			  h->index, op, values);
	}
	va_end(ap);
	sb_putc(&sb, '\0');
	return sb.buf;
}

static char *port_value(unsigned port)
{
	return xasprintf("\"%u\"", port);
}

/* The skb of the next event of the hook's kind; the caller
 * pb_release()s ev. */
static const rtenf_KprobeSkb *next_skb(struct event_stream *s, const struct skb_hook *h, rtenf_Event *ev)
{
	const rtenf_KprobeArgument *args;
	pb_size_t n;

	cr_assert_eq(stream_next_of(s, h->event_tag, 0, ev, 5000), 0, "no event within 5 s\n%s", agent_log(&agent));
	if (h->event_tag == rtenf_Event_process_tracepoint_tag) {
		cr_expect_str_eq(ev->event.process_tracepoint.event, "net_dev_queue");
		args = ev->event.process_tracepoint.args, n = ev->event.process_tracepoint.args_count;
	} else {
		cr_expect_str_eq(ev->event.process_kprobe.function_name, "ip_output");
		args = ev->event.process_kprobe.args, n = ev->event.process_kprobe.args_count;
	}
	cr_assert_eq(n, 1);
	cr_assert_eq(args[0].which_arg, rtenf_KprobeArgument_skb_arg_tag);
	cr_expect_str_eq(args[0].label, "pkt");
	return &args[0].arg.skb_arg;
}

static void expect_no_event(struct event_stream *s, const struct skb_hook *h, const char *why)
{
	rtenf_Event ev;

	cr_expect_eq(stream_next_of(s, h->event_tag, 0, &ev, NO_EVENT_MS), -ETIMEDOUT, "%s", why);
}

static void expect_packet(const rtenf_KprobeSkb *k, const char *family, const char *protocol, const char *saddr,
			  const char *daddr, unsigned dport, unsigned min_len)
{
	cr_expect_str_eq(k->family, family);
	cr_expect_str_eq(k->protocol, protocol);
	cr_expect_str_eq(k->saddr, saddr);
	cr_expect_str_eq(k->daddr, daddr);
	cr_expect_eq(k->dport, dport);
	cr_expect_neq(k->sport, 0, "the sender's port");
	cr_expect_neq(k->sport, dport);
	cr_expect_geq(k->len, min_len, "len %u", k->len);
}

/* DPort In selects the chosen port, not another; the event has every
 * field of the datagram. */
static void udp_dport(const struct skb_hook *h)
{
	unsigned port, other;
	int fd = udp_port(AF_INET, &port), other_fd = udp_port(AF_INET, &other);
	char *pv = port_value(port), *f = skb_filters(h, "DPort", pv, NULL), *yaml = skb_policy("skb-dport", h, f, "Post");
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	apply_ok(&agent, "skb-dport", yaml, "enforce");
	stream_open(&s, &agent, "skb-dport");
	expect_exit(testprog_net("sendto", "127.0.0.1", other), 0);
	expect_exit(testprog_net("sendto", "127.0.0.1", port), 0);
	/* IPv4 20 + UDP 8 + one byte of payload */
	expect_packet(next_skb(&s, h, &ev), "AF_INET", "IPPROTO_UDP", "127.0.0.1", "127.0.0.1", port, 29);
	pb_release(rtenf_Event_fields, &ev);
	expect_no_event(&s, h, "only one datagram went to the chosen port");
	stream_close(&s);
	close(fd), close(other_fd);
	free(pv), free(f), free(yaml);
}

Test(skb, raw_tracepoint_udp_dport)
{
	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	udp_dport(&net_dev_queue);
}

Test(skb, kprobe_ip_output_udp_dport)
{
	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	udp_dport(&ip_output);
}

/* Protocol TCP: a datagram to the port does not match, the connection's
 * SYN does. */
static void tcp_not_udp(const struct skb_hook *h)
{
	unsigned port;
	int tcp_fd, udp_fd;
	char *pv, *f, *yaml;
	struct event_stream s;
	rtenf_Event ev;

	tcp_and_udp_port(AF_INET, &tcp_fd, &udp_fd, &port);
	pv = port_value(port);
	f = skb_filters(h, "DPort", pv, "Protocol", "\"IPPROTO_TCP\"", NULL);
	yaml = skb_policy("skb-tcp", h, f, "Post");
	agent_start(&agent, NULL);
	apply_ok(&agent, "skb-tcp", yaml, "enforce");
	stream_open(&s, &agent, "skb-tcp");
	expect_exit(testprog_net("sendto", "127.0.0.1", port), 0);
	expect_exit(testprog_net("connect", "127.0.0.1", port), 0);
	/* the SYN: IPv4 20 + TCP 20 and its options */
	expect_packet(next_skb(&s, h, &ev), "AF_INET", "IPPROTO_TCP", "127.0.0.1", "127.0.0.1", port, 40);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	close(tcp_fd), close(udp_fd);
	free(pv), free(f), free(yaml);
}

Test(skb, raw_tracepoint_protocol_tcp_not_udp)
{
	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	tcp_not_udp(&net_dev_queue);
}

Test(skb, kprobe_ip_output_protocol_tcp_not_udp)
{
	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	tcp_not_udp(&ip_output);
}

/* IPv4 CIDRs: 127.0.0.2 is loopback too, sent from 127.0.0.1.  DAddr
 * 127.0.0.2/32 and SAddr 127.0.0.0/8 match it; a datagram to 127.0.0.1
 * misses the DAddr; a policy whose SAddr is 10.0.0.0/8 sees neither. */
Test(skb, ipv4_addresses)
{
	const struct skb_hook *h = &net_dev_queue;
	unsigned port;
	int fd;
	char *pv, *f, *miss_f, *yaml, *miss_yaml;
	struct event_stream s, miss;
	rtenf_Event ev;

	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	fd = udp_port(AF_INET, &port);
	pv = port_value(port);
	f = skb_filters(h, "DPort", pv, "DAddr", "\"127.0.0.2/32\"", "SAddr", "\"127.0.0.0/8\"", NULL);
	miss_f = skb_filters(h, "DPort", pv, "SAddr", "\"10.0.0.0/8\"", NULL);
	yaml = skb_policy("skb-v4", h, f, "Post");
	miss_yaml = skb_policy("skb-v4-miss", h, miss_f, "Post");
	agent_start(&agent, NULL);
	apply_ok(&agent, "skb-v4", yaml, "enforce");
	apply_ok(&agent, "skb-v4-miss", miss_yaml, "enforce");
	stream_open(&s, &agent, "skb-v4");
	stream_open(&miss, &agent, "skb-v4-miss");
	expect_exit(testprog_net("sendto", "127.0.0.1", port), 0);
	expect_exit(testprog_net("sendto", "127.0.0.2", port), 0);
	expect_packet(next_skb(&s, h, &ev), "AF_INET", "IPPROTO_UDP", "127.0.0.1", "127.0.0.2", port, 29);
	pb_release(rtenf_Event_fields, &ev);
	expect_no_event(&miss, h, "SAddr 10.0.0.0/8 matched a packet from 127.0.0.1");
	stream_close(&s), stream_close(&miss);
	close(fd);
	free(pv), free(f), free(miss_f), free(yaml), free(miss_yaml);
}

/* IPv6 CIDRs and Family: ::1 to ::1 matches DAddr ::1/128 and SAddr
 * ::/64 with Family AF_INET6; an IPv4 datagram to the same port number
 * does not; a policy whose DAddr is fd00::/8 sees none. */
Test(skb, ipv6_addresses)
{
	const struct skb_hook *h = &net_dev_queue;
	unsigned port = 0;
	int fd6, fd4;
	char *pv, *f, *miss_f, *yaml, *miss_yaml;
	struct event_stream s, miss;
	rtenf_Event ev;

	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	fd6 = udp_port(AF_INET6, &port);
	fd4 = bound_socket(AF_INET, SOCK_DGRAM, &port); /* may fail: the IPv4 datagram then gets an ICMP error */
	pv = port_value(port);
	f = skb_filters(h, "DPort", pv, "Family", "\"AF_INET6\"", "DAddr", "\"::1/128\"", "SAddr", "\"::/64\"",
			NULL);
	miss_f = skb_filters(h, "DPort", pv, "DAddr", "\"fd00::/8\"", NULL);
	yaml = skb_policy("skb-v6", h, f, "Post");
	miss_yaml = skb_policy("skb-v6-miss", h, miss_f, "Post");
	agent_start(&agent, NULL);
	apply_ok(&agent, "skb-v6", yaml, "enforce");
	apply_ok(&agent, "skb-v6-miss", miss_yaml, "enforce");
	stream_open(&s, &agent, "skb-v6");
	stream_open(&miss, &agent, "skb-v6-miss");
	expect_exit(testprog_net("sendto", "127.0.0.1", port), 0);
	expect_exit(testprog_net("sendto", "::1", port), 0);
	/* IPv6 40 + UDP 8 + one byte */
	expect_packet(next_skb(&s, h, &ev), "AF_INET6", "IPPROTO_UDP", "::1", "::1", port, 49);
	pb_release(rtenf_Event_fields, &ev);
	expect_no_event(&miss, h, "DAddr fd00::/8 matched a packet to ::1");
	stream_close(&s), stream_close(&miss);
	close(fd6);
	if (fd4 >= 0)
		close(fd4);
	free(pv), free(f), free(miss_f), free(yaml), free(miss_yaml);
}

/* Sigkill on a match kills the sender inside sendto(); a datagram to
 * another port leaves it alone. */
static void sigkill_sender(const struct skb_hook *h)
{
	unsigned port, other;
	int fd = udp_port(AF_INET, &port), other_fd = udp_port(AF_INET, &other);
	char *pv = port_value(port), *f, *yaml;
	struct event_stream s;
	rtenf_Event ev;

	f = skb_filters(h, "DPort", pv, "Protocol", "\"IPPROTO_UDP\"", NULL);
	yaml = skb_policy("skb-kill", h, f, "Sigkill");
	agent_start(&agent, NULL);
	apply_ok(&agent, "skb-kill", yaml, "enforce");
	stream_open(&s, &agent, "skb-kill");
	expect_exit(testprog_net("sendto", "127.0.0.1", other), 0);
	assert_killed_by(testprog_net("sendto", "127.0.0.1", port), SIGKILL);
	expect_packet(next_skb(&s, h, &ev), "AF_INET", "IPPROTO_UDP", "127.0.0.1", "127.0.0.1", port, 29);
	if (h->event_tag == rtenf_Event_process_tracepoint_tag)
		cr_expect_eq(ev.event.process_tracepoint.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	else
		cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	close(fd), close(other_fd);
	free(pv), free(f), free(yaml);
}

Test(skb, raw_tracepoint_sigkill_kills_the_sender)
{
	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	sigkill_sender(&net_dev_queue);
}

Test(skb, kprobe_ip_output_sigkill_kills_the_sender)
{
	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	sigkill_sender(&ip_output);
}

/* The kernel's BTF types a raw tracepoint's arguments: an skb must be a
 * struct sk_buff *, or the program would read headers out of some other
 * object.  Refused at the type, nothing applied. */
Test(skb, raw_tracepoint_argument_that_is_not_an_skb_is_refused)
{
	char *path, *err = NULL;

	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	agent_start(&agent, NULL);
	path = policy_file(&agent, "not-skb",
			   "apiVersion: cilium.io/v1alpha1\n"
			   "kind: TracingPolicy\n"
			   "metadata:\n"
			   "  name: not-skb\n"
			   "spec:\n"
			   "  tracepoints:\n"
			   "  - subsystem: raw_syscalls\n"
			   "    event: sys_enter\n"
			   "    raw: true\n"
			   "    args:\n"
			   "    - index: 1\n"
			   "      type: skb\n");
	cr_assert_eq(cli(&agent, NULL, &err, "apply", "-f", path, NULL), 1, "%s", err);
	cr_expect(strstr(err, ":12:13: argument 1 of raw tracepoint sys_enter is a 8-byte signed integer, which type "
			      "skb does not fit") != NULL,
		  "%s", err);
	cr_expect_eq(policy_count(&agent), 0);
	free(err), free(path);
}
