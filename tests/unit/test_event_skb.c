// SPDX-License-Identifier: GPL-2.0-only
/*
 * An skb argument as the kernel sends it (struct rtenf_arg_skb) becomes a
 * KprobeSkb: names for family and protocol, printable addresses, and no
 * family or addresses for a packet that is not IP.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "compile_fixture.h"
#include "event_builder.h"
#include "event_codec.h"
#include "record_fixture.h"
#include "util.h"

static rtenf_Event last;
static int n_events;

static void keep_event(void *ctx, const rtenf_Event *ev)
{
	(void)ctx;
	record_keep_event(&last, ev);
	n_events++;
}

/* Builds the event of one tracepoint record carrying the given skbs. */
static void build_from_skbs(const struct rtenf_arg_skb *skbs, size_t n)
{
	struct compiled_policy *cp = compile_ok(OPENAT);
	struct live_policy lp = {.name = "test", .file = "t.yaml", .id = 7, .mode = RTENF_MODE_AUDIT, .cp = cp};
	struct live_policy *live[] = {&lp};
	struct policy_manager pm = {.live = live, .n_live = 1};
	struct rtenf_msg_hook m = {0};
	struct process_cache pc;
	struct event_builder eb;
	struct strbuf r = {0};

	m.hdr.op = RTENF_OP_TRACEPOINT;
	m.hdr.flags = RTENF_HOOK_F_AUDIT;
	m.task.tgid = m.task.tid = 4242;
	m.policy_id = 7;
	m.nargs = (__u8)n;
	sb_append(&r, (const char *)&m, sizeof(m));
	for (size_t i = 0; i < n; i++)
		record_put_arg(&r, RTENF_ARG_SKB, &skbs[i], sizeof(skbs[i]));
	((struct rtenf_msg_hook *)(void *)r.buf)->hdr.size = (__u32)r.len;

	process_cache_init(&pc, "node");
	event_builder_init(&eb, &pc, &pm, keep_event, NULL);
	n_events = 0;
	event_builder_handle(&eb, (const uint8_t *)r.buf, r.len);
	cr_assert_eq(n_events, 1, "no event (malformed %llu)", (unsigned long long)eb.malformed);
	cr_assert_eq(last.event.process_tracepoint.args_count, n);
	process_cache_free(&pc);
	compiled_policy_free(cp);
	sb_free(&r);
}

Test(event_skb, ipv4_and_ipv6_packets)
{
	const struct rtenf_arg_skb skbs[] = {
		{.family = 2, .protocol = 17, .sport = 40000, .dport = 53, .len = 29, .priority = 6, .mark = 0x100,
		 .saddr = {127, 0, 0, 1}, .daddr = {127, 0, 0, 53}},
		{.family = 10, .protocol = 6, .sport = 443, .dport = 50000, .len = 60,
		 .saddr = {[15] = 1}, .daddr = {0xfd, [15] = 2}},
	};
	const rtenf_KprobeSkb *k;

	build_from_skbs(skbs, 2);
	cr_assert_eq(last.event.process_tracepoint.args[0].which_arg, rtenf_KprobeArgument_skb_arg_tag);
	k = &last.event.process_tracepoint.args[0].arg.skb_arg;
	cr_expect_str_eq(k->family, "AF_INET");
	cr_expect_str_eq(k->protocol, "IPPROTO_UDP");
	cr_expect_str_eq(k->saddr, "127.0.0.1");
	cr_expect_str_eq(k->daddr, "127.0.0.53");
	cr_expect_eq(k->sport, 40000);
	cr_expect_eq(k->dport, 53);
	cr_expect_eq(k->len, 29);
	cr_expect_eq(k->priority, 6);
	cr_expect_eq(k->mark, 0x100);
	k = &last.event.process_tracepoint.args[1].arg.skb_arg;
	cr_expect_str_eq(k->family, "AF_INET6");
	cr_expect_str_eq(k->protocol, "IPPROTO_TCP");
	cr_expect_str_eq(k->saddr, "::1");
	cr_expect_str_eq(k->daddr, "fd00::2");
	cr_expect_eq(k->sport, 443);
	cr_expect_eq(k->dport, 50000);
	event_release(&last);
}

Test(event_skb, a_packet_that_is_not_ip_has_only_its_length)
{
	const struct rtenf_arg_skb arp = {.len = 42, .mark = 7};
	const rtenf_KprobeSkb *k;

	build_from_skbs(&arp, 1);
	k = &last.event.process_tracepoint.args[0].arg.skb_arg;
	cr_expect(!k->family || !*k->family, "family %s", k->family);
	cr_expect(!k->saddr || !*k->saddr, "saddr %s", k->saddr);
	cr_expect_eq(k->len, 42);
	cr_expect_eq(k->mark, 7);
	event_release(&last);
}
