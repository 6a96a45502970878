// SPDX-License-Identifier: GPL-2.0-only
/*
 * Override of connect and bind, on every kernel: through BPF LSM, fmod_ret
 * or bpf_override_return where the kernel has them, and through cgroup
 * socket-address programs on the cgroup v2 root where it has none (this
 * project's host).  The peer is checked too: a denied connection never
 * reaches the listener, an allowed one does.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
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

TestSuite(socket_override, .fini = stop, .timeout = 120);

struct listener {
	int fd;
	unsigned port;
};

/* A TCP listener on an ephemeral port of the loopback address. */
static void listen_on(struct listener *l, int family)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;

	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	l->fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(l->fd, 0);
	cr_assert_eq(bind(l->fd, (struct sockaddr *)&ss, len), 0, "bind: %s", strerror(errno));
	cr_assert_eq(listen(l->fd, 8), 0);
	cr_assert_eq(getsockname(l->fd, (struct sockaddr *)&ss, &len), 0);
	l->port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					   : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Did a connection reach the listener?  Accepts it if so. */
static bool peer_saw_connection(struct listener *l)
{
	struct pollfd p = {.fd = l->fd, .events = POLLIN};
	int c;

	if (poll(&p, 1, 300) != 1)
		return false;
	c = accept(l->fd, NULL, NULL);
	if (c >= 0)
		close(c);
	return c >= 0;
}

static void unlisten(struct listener *l)
{
	close(l->fd);
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

/* Tetragon's shape: kprobes: call: sys_connect, the sockaddr argument. */
static char *port_policy(const char *name, const char *hook_yaml, unsigned arg_index, unsigned port)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "%s"
			 "    args:\n"
			 "    - index: %u\n"
			 "      type: sockaddr\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: %u\n"
			 "        operator: DPort\n"
			 "        values: [\"%u\"]\n"
			 "      matchActions:\n"
			 "      - action: Override\n"
			 "        argError: -1\n",
			 name, hook_yaml, arg_index, arg_index, port);
}

static const char kprobe_connect[] = "  kprobes:\n"
				     "  - call: \"sys_connect\"\n"
				     "    syscall: true\n";

static const char lsm_connect[] = "  lsmhooks:\n"
				  "  - hook: \"socket_connect\"\n";

static const char kprobe_bind[] = "  kprobes:\n"
				  "  - call: \"sys_bind\"\n"
				  "    syscall: true\n";

/* The event an Override of a connect or bind produced. */
static void expect_override_event(struct event_stream *s, pb_size_t which, const char *addr, unsigned port,
				  bool enforced)
{
	const rtenf_KprobeArgument *arg;
	rtenf_Event ev;
	bool is_enforced;
	int error;

	cr_assert_eq(stream_next_of(s, which, 0, &ev, 5000), 0, "no event within 5 s\n%s", agent_log(&agent));
	if (which == rtenf_Event_process_lsm_tag) {
		cr_assert_eq(ev.event.process_lsm.args_count, 1);
		arg = &ev.event.process_lsm.args[0];
		cr_expect_eq(ev.event.process_lsm.action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
		is_enforced = ev.event.process_lsm.enforced, error = ev.event.process_lsm.error;
	} else {
		cr_assert_eq(ev.event.process_kprobe.args_count, 1);
		arg = &ev.event.process_kprobe.args[0];
		cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
		is_enforced = ev.event.process_kprobe.enforced, error = ev.event.process_kprobe.error;
	}
	cr_assert_eq(arg->which_arg, rtenf_KprobeArgument_sockaddr_arg_tag);
	cr_expect_str_eq(arg->arg.sockaddr_arg.family, strchr(addr, ':') ? "AF_INET6" : "AF_INET");
	cr_expect_str_eq(arg->arg.sockaddr_arg.addr, addr);
	cr_expect_eq(arg->arg.sockaddr_arg.port, port);
	cr_expect_eq(abs(error), EPERM, "error %d", error);
	cr_expect_eq(is_enforced, enforced);
	pb_release(rtenf_Event_fields, &ev);
}

static void connect_override(const char *hook_yaml, pb_size_t which, int family, const char *addr)
{
	struct listener allowed, blocked;
	struct event_stream s;
	char *yaml;

	agent_start(&agent, NULL);
	listen_on(&allowed, family);
	listen_on(&blocked, family);
	yaml = port_policy("block-port", hook_yaml, 1, blocked.port);
	apply_ok(&agent, "block-port", yaml, "enforce");
	stream_open(&s, &agent, "block-port");

	expect_exit(testprog_net("connect", addr, blocked.port), EPERM);
	cr_expect_not(peer_saw_connection(&blocked), "the denied connection reached port %u", blocked.port);
	expect_override_event(&s, which, addr, blocked.port, true);
	expect_exit(testprog_net("connect", addr, allowed.port), 0);
	cr_expect(peer_saw_connection(&allowed), "the allowed connection to port %u never arrived", allowed.port);

	/* audit: the connection goes through; the event says it would not have */
	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "block-port", "audit", NULL), 0);
	expect_exit(testprog_net("connect", addr, blocked.port), 0);
	cr_expect(peer_saw_connection(&blocked), "in audit mode the connection to port %u never arrived",
		  blocked.port);
	expect_override_event(&s, which, addr, blocked.port, false);

	stream_close(&s);
	unlisten(&allowed);
	unlisten(&blocked);
	free(yaml);
}

Test(socket_override, kprobe_sys_connect_ipv4)
{
	connect_override(kprobe_connect, rtenf_Event_process_kprobe_tag, AF_INET, "127.0.0.1");
}

Test(socket_override, kprobe_sys_connect_ipv6)
{
	connect_override(kprobe_connect, rtenf_Event_process_kprobe_tag, AF_INET6, "::1");
}

Test(socket_override, lsm_socket_connect)
{
	connect_override(lsm_connect, rtenf_Event_process_lsm_tag, AF_INET, "127.0.0.1");
}

/* `rtenf list` says which mechanism enforces the hook, and it is the one
 * `rtenf probe` announced for Override on connect. */
Test(socket_override, list_names_the_enforcing_mechanism)
{
	char *yaml, *mech, *enf, *probe = NULL;
	const char *planned;

	agent_start(&agent, NULL);
	cr_assert_eq(cli(NULL, &probe, NULL, "probe", "-o", "json", NULL), 0);
	planned = strstr(probe, "\"override_socket\":{\"mechanism\":\"");
	cr_assert_not_null(planned, "no override_socket in rtenf probe -o json");
	planned += strlen("\"override_socket\":{\"mechanism\":\"");
	yaml = port_policy("block-port", kprobe_connect, 1, 4444);
	apply_ok(&agent, "block-port", yaml, "enforce");
	policy_hook_info(&agent, "block-port", 0, &mech, &enf);
	if (!strncmp(planned, "cgroup socket programs\"", 23)) {
		cr_expect_str_eq(mech, "cgroup socket programs connect4/6 on the cgroup v2 root");
		cr_expect_str_eq(enf, "cgroup program verdict (EPERM)");
	} else if (!strncmp(planned, "fmod_ret\"", 9)) {
		cr_expect(strstr(enf, "fmod_ret") != NULL, "enforcement: %s", enf);
	} else {
		cr_expect(!strncmp(planned, "kprobe + bpf_override_return\"", 29), "probe planned %.40s", planned);
		cr_expect(strstr(enf, "bpf_override_return") != NULL, "enforcement: %s", enf);
	}
	free(yaml), free(mech), free(enf), free(probe);
}

Test(socket_override, kprobe_sys_bind)
{
	struct listener probe;
	struct event_stream s;
	unsigned port;
	char *yaml;

	agent_start(&agent, NULL);
	/* a port that is free now: take an ephemeral one and release it */
	listen_on(&probe, AF_INET);
	port = probe.port;
	unlisten(&probe);
	yaml = port_policy("block-bind", kprobe_bind, 1, port);
	apply_ok(&agent, "block-bind", yaml, "enforce");
	stream_open(&s, &agent, "block-bind");

	expect_exit(testprog_net("bind", "127.0.0.1", port), EPERM);
	expect_override_event(&s, rtenf_Event_process_kprobe_tag, "127.0.0.1", port, true);
	expect_exit(testprog_net("bind", "127.0.0.1", 0), 0);
	stream_close(&s);
	free(yaml);
}
