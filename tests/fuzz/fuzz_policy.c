// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: a policy file, as `rtenf apply` and `rtenf validate` take it.
 * The bytes go through the YAML loader and the parser, and whatever parses
 * is compiled twice: against the hardened host (tracepoints only) and
 * offline with every feature assumed, so the kprobe, LSM and uprobe
 * compilers run too.  Diagnostics are formatted as the CLI would print them.
 * Seeds: every policy in policies/, docs/ and tests/ (tests/fuzz/seeds.py).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_kernel.h"
#include "policy.h"
#include "policy_compile.h"

static void compile(const struct policy *p, enum fuzz_profile profile, struct diag_list *diags)
{
	struct fuzz_kernel k;

	fuzz_kernel_init(&k, profile);
	compiled_policy_free(policy_compile(p, &k.fk.kv, diags));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags = {0};
	struct policy *p = policy_parse((const char *)data, size, "fuzz.yaml", &diags);

	if (p) {
		compile(p, FUZZ_HOST, &diags);
		compile(p, FUZZ_OFFLINE, &diags);
		policy_free(p);
	}
	for (size_t i = 0; i < diags.n; i++)
		free(diag_format(&diags.v[i]));
	diag_list_free(&diags);
	return 0;
}
