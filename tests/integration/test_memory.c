// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-policy kernel memory: `rtenf list` reports what the kernel charges for
 * the maps the policy owns (checked against the pinned maps themselves),
 * the maps grow with the policy's values, and --policy-memory-limit refuses
 * a policy over budget with the number, applying nothing.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_inspect.h"
#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(memory, .fini = stop, .timeout = 120);

/* A policy on openat with n Equal path values. */
static char *values_policy(const char *name, unsigned n)
{
	struct strbuf sb = {0};

	sb_printf(&sb,
		  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\nspec:\n"
		  "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
		  "    args:\n    - index: 6\n      type: string\n    selectors:\n"
		  "    - matchArgs:\n      - index: 0\n        operator: Equal\n        values:\n",
		  name);
	for (unsigned i = 0; i < n; i++)
		sb_printf(&sb, "        - \"/nonexistent/rtenf-memory-test/%u\"\n", i);
	return sb_steal(&sb);
}

/* A number after key in the policy name's object of `rtenf list -o json`. */
static uint64_t listed(const char *name, const char *key)
{
	char *out = NULL, *needle = xasprintf("{\"name\":\"%s\"", name), *k = xasprintf("\"%s\":", key), *p;
	unsigned long long v = 0;

	cr_assert_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	p = strstr(out, needle);
	cr_assert_not_null(p, "%s not listed: %s", name, out);
	p = strstr(p, k);
	cr_assert_not_null(p, "no %s: %s", key, out);
	cr_assert_eq(sscanf(p + strlen(k), "%llu", &v), 1);
	free(needle);
	free(k);
	free(out);
	return v;
}

/* kernel_memory and id of a policy from `rtenf list -o json`. */
static uint64_t listed_memory(const char *name, unsigned *id)
{
	*id = (unsigned)listed(name, "id");
	return listed(name, "kernel_memory");
}

/* A number of the agent's object in `rtenf list -o json`. */
static uint64_t listed_agent(const char *key)
{
	char *out = NULL, *k = xasprintf("\"%s\":", key), *p;
	unsigned long long v = 0;

	cr_assert_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	p = strstr(out, "\"agent\":{");
	cr_assert_not_null(p, "%s", out);
	p = strstr(p, k);
	cr_assert_not_null(p, "no %s: %s", key, out);
	cr_assert_eq(sscanf(p + strlen(k), "%llu", &v), 1);
	free(k);
	free(out);
	return v;
}

static uint64_t pinned_memory(unsigned id)
{
	char *dir = xasprintf("%s/policies/%u", agent.bpf_dir, id);
	uint64_t m = pinned_maps_memory(dir);

	free(dir);
	return m;
}

Test(memory, listed_memory_is_the_sum_of_the_policy_maps_and_grows_with_its_values)
{
	char *small = values_policy("small", 1), *big = values_policy("big", 4000);
	uint64_t m_small, m_big;
	unsigned id_small, id_big;

	agent_start(&agent, NULL);
	apply_ok(&agent, "small", small, NULL);
	apply_ok(&agent, "big", big, NULL);
	m_small = listed_memory("small", &id_small);
	m_big = listed_memory("big", &id_big);
	cr_expect_eq(m_small, pinned_memory(id_small), "listed %llu, the pinned maps %llu", (unsigned long long)m_small,
		     (unsigned long long)pinned_memory(id_small));
	cr_expect_eq(m_big, pinned_memory(id_big), "listed %llu, the pinned maps %llu", (unsigned long long)m_big,
		     (unsigned long long)pinned_memory(id_big));
	/* sized from the policy: 4000 more hash entries, not a fixed worst case */
	cr_expect_gt(m_big, m_small + 4000 * 16, "small %llu, big %llu", (unsigned long long)m_small,
		     (unsigned long long)m_big);
	/* kernels count map memory their own way (6.1: 68 KiB here, 6.18 less) */
	cr_expect_lt(m_small, 128 << 10, "one value costs %llu bytes", (unsigned long long)m_small);
	free(small);
	free(big);
}

/* Programs are reported apart from maps: what the kernel charges for them
 * plus their JIT images, checked against the pinned links' programs. */
Test(memory, listed_program_memory_is_the_policy_programs)
{
	char *small = values_policy("small", 1), *dir;
	uint64_t prog, pinned;
	unsigned id;

	agent_start(&agent, NULL);
	apply_ok(&agent, "small", small, NULL);
	listed_memory("small", &id);
	prog = listed("small", "program_memory");
	dir = xasprintf("%s/policies/%u", agent.bpf_dir, id);
	pinned = pinned_links_prog_memory(dir, "_link");
	cr_expect_eq(prog, pinned, "listed %llu, the pinned links' programs %llu", (unsigned long long)prog,
		     (unsigned long long)pinned);
	cr_expect_gt(prog, 4096, "program memory %llu", (unsigned long long)prog);
	free(dir);
	dir = xasprintf("%s/base", agent.bpf_dir);
	pinned = pinned_links_prog_memory(dir, NULL);
	cr_expect_eq(listed_agent("base_program_memory"), pinned, "the base sensor's programs: %llu",
		     (unsigned long long)pinned);
	free(dir);
	free(small);
}

/* The agent's smaps: Rss of its BPF map mappings (the ring buffer, mapped
 * twice) and of everything else. */
static void agent_smaps_rss(pid_t pid, uint64_t *bpf_maps, uint64_t *other)
{
	char path[64], line[512];
	bool bpf_map = false;
	unsigned long lo, hi;
	FILE *f;

	*bpf_maps = *other = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			bpf_map = strstr(line, "anon_inode:bpf-map") != NULL;
		else if (!strncmp(line, "Rss:", 4))
			*(bpf_map ? bpf_maps : other) += strtoull(line + 4, NULL, 10) * 1024;
	}
	fclose(f);
}

/* agent_rss leaves out the ring buffer, which the agent maps twice and
 * which is kernel memory (in base_kernel_memory): it is the Rss of the
 * agent's other mappings.  Compared with smaps rather than with a size
 * (an ASan build's agent is bigger than the buffer) or VmRSS (which counts
 * the buffer on some kernels and not on others). */
Test(memory, agent_rss_leaves_out_the_ring_buffer)
{
	uint64_t rss, ringbuf, bpf_maps, other, slack = 2u << 20;

	agent_start(&agent, "--ringbuf-size", "32M", NULL);
	rss = listed_agent("agent_rss");
	ringbuf = listed_agent("ringbuf_size");
	cr_assert_eq(ringbuf, 32u << 20);
	agent_smaps_rss(agent.pid, &bpf_maps, &other);
	cr_expect_gt(rss, 0, "agent_rss 0");
	cr_expect(rss + slack >= other && rss <= other + slack,
		  "agent_rss %llu, the Rss of its mappings but BPF maps %llu (BPF maps: %llu)", (unsigned long long)rss,
		  (unsigned long long)other, (unsigned long long)bpf_maps);
}

Test(memory, a_policy_over_the_limit_is_refused_with_the_number_and_nothing_is_applied)
{
	char *big = values_policy("big", 4000), *path, *out = NULL, *err = NULL, *pol_dir;
	int rc;

	agent_start(&agent, "--policy-memory-limit", "128k", NULL);
	path = policy_file(&agent, "big", big);
	rc = cli(&agent, &out, &err, "apply", "-f", path, NULL);
	cr_expect_eq(rc, 1, "%s%s", out, err);
	cr_expect(strstr(err, "policy big needs") && strstr(err, "--policy-memory-limit of 131072 bytes") &&
		      strstr(err, "nothing applied"),
		  "%s", err);
	cr_expect_eq(policy_count(&agent), 0);
	pol_dir = xasprintf("%s/policies", agent.bpf_dir);
	cr_expect_leq(tree_entries(pol_dir), 0, "pins left by the refused policy");
	free(out);
	free(err);

	/* under the limit: applied */
	apply_ok(&agent, "kill-unshare",
		 "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n"
		 "  name: kill-unshare\nspec:\n  tracepoints:\n  - subsystem: syscalls\n"
		 "    event: sys_enter_unshare\n",
		 NULL);
	cr_expect_eq(policy_count(&agent), 1);
	free(pol_dir);
	free(path);
	free(big);
}

Test(memory, a_start_up_policy_over_the_limit_stops_the_start)
{
	char *big = values_policy("big", 4000), *err = NULL, *path;
	char dir[] = "/tmp/rtenf-mem-XXXXXX", bpf_dir[64];
	FILE *f;
	int rc;

	require_root();
	cr_assert_not_null(mkdtemp(dir));
	path = xasprintf("%s/big.yaml", dir);
	f = fopen(path, "w");
	fputs(big, f);
	fclose(f);
	snprintf(bpf_dir, sizeof(bpf_dir), "/sys/fs/bpf/%s", dir + 5);
	rc = cli(NULL, NULL, &err, "agent", "--socket", "/tmp/rtenf-mem.sock", "--bpf-dir", bpf_dir, "--policy", path,
		 "--policy-memory-limit", "64k", NULL);
	cr_expect_eq(rc, 1);
	cr_expect(strstr(err, "kernel memory") != NULL, "%s", err);
	cr_expect_eq(tree_entries(bpf_dir), -1, "a failed start left pins in %s", bpf_dir);
	unlink(path);
	rmdir(dir);
	free(path);
	free(err);
	free(big);
}
