// SPDX-License-Identifier: GPL-2.0-only
/*
 * Filtering happens in the kernel: 10,000 calls that do not match make no
 * record at all, and 3 that match make exactly 3 events.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(volume, .fini = stop, .timeout = 120);

Test(volume, non_matching_calls_never_reach_user_space)
{
	char *yes, *no, *yaml;
	char *argv_no[5], *argv_yes[5];
	rtenf_PolicyCounters c;
	rtenf_AgentInfo before, after;
	struct event_stream s;
	rtenf_Event ev;
	int got = 0;

	agent_start(&agent, NULL);
	yes = xasprintf("%s/yes", agent.dir);
	no = xasprintf("%s/no", agent.dir);
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: vol\nspec:\n"
			 "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
			 "    args:\n    - index: 6\n      type: string\n    selectors:\n"
			 "    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s\"]\n",
			 yes);
	apply_ok(&agent, "vol", yaml, NULL);
	free(yaml);
	stream_open(&s, &agent, "vol");

	argv_no[0] = (char *)testprog_bin(), argv_no[1] = "open", argv_no[2] = no, argv_no[3] = "10000",
	argv_no[4] = NULL;
	agent_info(&agent, &before);
	run_wait(argv_no);
	agent_info(&agent, &after);
	policy_counters(&agent, "vol", &c);
	cr_expect_eq(c.matched, 0);
	cr_expect_eq(c.posted, 0);
	/* the records the agent read meanwhile are the exec/exit of the test
	 * process and whatever else runs on the machine, not 10,000 opens */
	cr_expect_lt(after.events_read - before.events_read, 200, "read %llu records",
		     (unsigned long long)(after.events_read - before.events_read));

	argv_yes[0] = (char *)testprog_bin(), argv_yes[1] = "open", argv_yes[2] = yes, argv_yes[3] = "3",
	argv_yes[4] = NULL;
	run_wait(argv_yes);
	policy_counters(&agent, "vol", &c);
	cr_expect_eq(c.matched, 3);
	cr_expect_eq(c.posted, 3);
	while (stream_next_hook(&s, 0, &ev, 1500) == 0) {
		got++;
		pb_release(rtenf_Event_fields, &ev);
	}
	cr_expect_eq(got, 3);
	stream_close(&s);
	free(yes);
	free(no);
}
