// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: what the agent reads from the kernel's ring buffer.  The
 * input is a run of records, each a little-endian u16 length and that many
 * bytes (cut short at the end of the input), handed one by one, each in a
 * buffer of exactly its length, to event_builder_handle() as the ring
 * buffer callback does: exec, clone and exit records feed the process
 * cache, cgroup records its cgroup table, hook records are named after a
 * compiled policy (id 1, two hooks) and their arguments decoded; events
 * carry ancestors, as when a client asked for them.  Every event that comes out is encoded and
 * printed as the agent and its clients would.  The kernel is trusted, but
 * event_builder.h promises that a malformed record is counted and skipped,
 * never trusted: this holds it to that.
 * Seeds: one record of each kind and argument type (tests/fuzz/seed_gen.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event_builder.h"
#include "event_codec.h"
#include "event_format.h"
#include "fuzz_kernel.h"
#include "fuzz_samples.h"
#include "policy.h"
#include "policy_compile.h"
#include "stack_symbols.h"
#include "util.h"

static struct policy_manager pm;
static struct live_policy lp, *live[1];

static void sink(void *ctx, const rtenf_Event *ev)
{
	struct strbuf out = {0};
	uint8_t *buf;
	size_t len;

	(void)ctx;
	event_format(&out, ev, EVENT_FORMAT_JSON, false);
	event_format(&out, ev, EVENT_FORMAT_COMPACT, true);
	sb_free(&out);
	if (!event_encode(ev, &buf, &len))
		free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list diags = {0};
	struct fuzz_kernel k;
	struct policy *p;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	fuzz_kernel_init(&k, FUZZ_HOST);
	p = policy_parse(FUZZ_RECORD_POLICY, strlen(FUZZ_RECORD_POLICY), "fuzz.yaml", &diags);
	lp.cp = p ? policy_compile(p, &k.fk.kv, &diags) : NULL;
	if (!lp.cp || lp.cp->n_hooks != 2)
		abort(); /* the fuzzer's own policy must compile */
	policy_free(p);
	diag_list_free(&diags);
	lp.name = "fuzz-record";
	lp.file = "fuzz.yaml";
	lp.id = FUZZ_RECORD_POLICY_ID;
	lp.mode = RTENF_MODE_AUDIT;
	live[0] = &lp;
	pm.live = live;
	pm.n_live = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct process_cache pc;
	struct event_builder eb;

	/* kallsyms is read once for the whole run, as the agent does */
	static struct kernel_symbols *ksyms;

	process_cache_init(&pc, "fuzz-node");
	event_builder_init(&eb, &pc, &pm, sink, NULL);
	if (!ksyms)
		ksyms = kernel_symbols_new();
	eb.ksyms = ksyms;
	eb.ancestors = true; /* as when a client asked: walks whatever parent chain the input made */
	while (size >= 2) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;
		uint8_t *rec;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		rec = xmalloc(len ? len : 1);
		memcpy(rec, data, len);
		event_builder_handle(&eb, rec, len);
		free(rec);
		data += len;
		size -= len;
	}
	process_cache_free(&pc);
	return 0;
}
