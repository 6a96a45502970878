// SPDX-License-Identifier: GPL-2.0-only
/*
 * skb arguments: the network operators compile to the same filters as on a
 * sock (the kernel reads the packet's headers into the same shape), State
 * is refused, and mistakes are reported at the value or operator.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "compile_fixture.h"
#include "util.h"

/* A kprobe on ip_output(net, sk, skb) reading its packet; selectors
 * follow from line 13, the operator on line 15. */
#define IP_OUTPUT_SEL                                        \
	"apiVersion: cilium.io/v1alpha1\n"           /* 1 */ \
	"kind: TracingPolicy\n"                      /* 2 */ \
	"metadata:\n"                                /* 3 */ \
	"  name: test\n"                             /* 4 */ \
	"spec:\n"                                    /* 5 */ \
	"  kprobes:\n"                               /* 6 */ \
	"  - call: ip_output\n"                      /* 7 */ \
	"    syscall: false\n"                       /* 8 */ \
	"    args:\n"                                /* 9 */ \
	"    - index: 2\n"                           /* 10 */ \
	"      type: skb\n"                          /* 11 */ \
	"    selectors:\n"                           /* 12 */ \
	"    - matchArgs:\n"                         /* 13 */ \
	"      - index: 2\n"                         /* 14 */

static struct compiled_policy *compile_skb_filter(const char *op, const char *values)
{
	char *yaml = xasprintf(IP_OUTPUT_SEL "        operator: %s\n        values: [%s]\n", op, values);
	struct compiled_policy *cp = compile_ok(yaml);

	free(yaml);
	return cp;
}

static void expect_skb_error(const char *op, const char *values, const char *want)
{
	char *yaml = xasprintf(IP_OUTPUT_SEL "        operator: %s\n        values: [%s]\n", op, values);

	expect_compile_error(yaml, want);
	free(yaml);
}

Test(compile_skb, the_argument_is_an_skb)
{
	struct compiled_policy *cp = compile_skb_filter("DPort", "\"53\"");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.args[0].type, RTENF_ARG_SKB);
	cr_assert_eq(h->cfg.args[0].offset, 2, "the parameter number of the skb");
	cr_assert_eq(h->cfg.args[0].source, RTENF_SRC_KERNEL_PTR);
	compiled_policy_free(cp);
}

Test(compile_skb, ports_compare_the_transport_header)
{
	static const __u64 dns[] = {53, 5353};
	struct compiled_policy *cp = compile_skb_filter("DPort", "\"53\", \"5353\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	cr_assert_eq(f->kind, RTENF_FILTER_ARG_NET);
	cr_assert_eq(f->field, RTENF_NET_DPORT);
	cr_assert_eq(f->op, RTENF_FOP_IN);
	assert_set(h, f, dns, 2);
	compiled_policy_free(cp);

	/* an skb has both ports: SPort is its own field, unlike a sockaddr's */
	cp = compile_skb_filter("NotSPort", "\"1000:2000\"");
	f = &only_hook(cp)->cfg.filters[0];
	cr_assert_eq(f->field, RTENF_NET_SPORT);
	cr_assert_eq(f->op, RTENF_FOP_NOT_IN_RANGE);
	compiled_policy_free(cp);
}

Test(compile_skb, addresses_are_cidrs_of_both_families)
{
	struct compiled_policy *cp = compile_skb_filter("DAddr", "\"127.0.0.0/8\", \"::1\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	cr_assert_eq(f->kind, RTENF_FILTER_ARG_NET);
	cr_assert_eq(f->field, RTENF_NET_DADDR);
	cr_assert_eq(f->op, RTENF_FOP_IN);
	cr_assert_eq(h->n_prefixes, 2);
	cr_assert_eq(h->prefixes[0].prefixlen, 32 + 8);
	cr_assert_eq(h->prefixes[1].prefixlen, 32 + 128);
	compiled_policy_free(cp);

	cp = compile_skb_filter("NotSAddr", "\"10.0.0.1\"");
	f = &only_hook(cp)->cfg.filters[0];
	cr_assert_eq(f->field, RTENF_NET_SADDR);
	cr_assert_eq(f->op, RTENF_FOP_NOT_IN);
	compiled_policy_free(cp);
}

Test(compile_skb, protocol_and_family_by_name_or_number)
{
	static const __u64 udp_tcp[] = {17, 6};
	struct compiled_policy *cp = compile_skb_filter("Protocol", "\"IPPROTO_UDP\", \"6\"");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.filters[0].field, RTENF_NET_PROTOCOL);
	assert_set(h, &h->cfg.filters[0], udp_tcp, 2);
	compiled_policy_free(cp);

	cp = compile_skb_filter("Family", "\"AF_INET6\"");
	h = only_hook(cp);
	cr_assert_eq(h->cfg.filters[0].field, RTENF_NET_FAMILY);
	cr_assert(h->cfg.filters[0].flags & RTENF_FILTER_F_IMM, "one value is compared without a set");
	cr_assert_eq(h->cfg.filters[0].imm, 10);
	compiled_policy_free(cp);
}

/* --- mistakes ------------------------------------------------------------- */

Test(compile_skb, state_is_refused_a_packet_has_no_connection_state)
{
	expect_skb_error("State", "\"TCP_ESTABLISHED\"",
			 "t.yaml:15:19: State needs a sock argument: an skb has no connection state");
}

Test(compile_skb, malformed_cidrs_are_reported_at_the_value)
{
	static const char *const bad[] = {"10.0.0.0/33", "::1/129", "10.0.0", "fe80::/x", "127.0.0.1/"};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *values = xasprintf("\"%s\"", bad[i]);
		char *want = xasprintf("t.yaml:16:18: \"%s\" is not an IPv4 or IPv6 address or CIDR (e.g. 10.0.0.0/8, "
				       "fd00::/8)", bad[i]);

		expect_skb_error(i % 2 ? "SAddr" : "NotDAddr", values, want);
		free(want);
		free(values);
	}
}

Test(compile_skb, ports_out_of_range_are_reported_at_the_value)
{
	expect_skb_error("DPort", "\"65536\"", "t.yaml:16:18: \"65536\" is not a port (0-65535)");
	expect_skb_error("NotSPort", "\"-1\"", "t.yaml:16:18: \"-1\" is not a port (0-65535)");
	expect_skb_error("DPort", "\"1:70000\"",
			 "t.yaml:16:18: \"1:70000\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)");
	expect_skb_error("Protocol", "\"IPPROTO_BOGUS\"",
			 "t.yaml:16:18: \"IPPROTO_BOGUS\" is not a protocol (a name such as IPPROTO_IP, or a number up to "
			 "65535)");
}

Test(compile_skb, operators_of_other_types_are_refused_at_the_operator)
{
	expect_skb_error("Prefix", "\"/tmp\"",
			 "t.yaml:15:19: operator Prefix does not apply to an skb argument; use SPort, DPort, SAddr, DAddr, "
			 "Family or Protocol");
	expect_skb_error("Equal", "\"1\"",
			 "t.yaml:15:19: operator Equal does not apply to an skb argument; use SPort, DPort, SAddr, DAddr, "
			 "Family or Protocol");
}

/* The network operators name the types they work on. */
Test(compile_skb, network_operators_on_other_types_say_which_fit)
{
	expect_compile_error(OPENAT_SEL
			     "    - matchArgs:\n"
			     "      - index: 7\n"
			     "        operator: DPort\n"
			     "        values: [\"53\"]\n",
			     "t.yaml:19:19: operator DPort needs a sock, sockaddr or skb argument; argument 7 is uint32");
}

/* A syscall's arguments are user-space values: no skb among them. */
Test(compile_skb, a_syscall_has_no_skb)
{
	expect_compile_error("apiVersion: cilium.io/v1alpha1\n"
			     "kind: TracingPolicy\n"
			     "metadata:\n"
			     "  name: test\n"
			     "spec:\n"
			     "  kprobes:\n"
			     "  - call: sys_sendto\n"
			     "    syscall: true\n"
			     "    args:\n"
			     "    - index: 0\n"
			     "      type: skb\n",
			     "t.yaml:11:13: type skb is a kernel object; arguments of a syscall are user-space values");
}

/* A format-file tracepoint has the skb's address at most, not the skb:
 * only raw tracepoints (BTF-typed) and kernel functions take one. */
Test(compile_skb, a_tracepoint_record_field_is_not_an_skb)
{
	expect_compile_error_start(WIDTHS "    args:\n"
					  "    - index: 9\n"
					  "      type: skb\n",
				   "t.yaml:11:13: type skb is a kernel object; test/widths field 9");
}
