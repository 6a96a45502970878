// SPDX-License-Identifier: GPL-2.0-only
#include "policy_check.h"

#include <stdlib.h>
#include <string.h>

#include "kernel_view.h"
#include "policy.h"
#include "policy_compile.h"
#include "util.h"

int policy_check(const char *yaml, size_t len, const char *file, struct diag_list *diags,
		 struct policy_check_result *res)
{
	size_t before = diag_count_errors(diags);
	/* Any key will do: validation only needs hashes to be computable. */
	struct rtenf_hash_key key = {0x72746e66, 0x76616c69};
	struct compiled_policy *cp;
	struct kernel_view kv;
	struct policy *p;

	memset(res, 0, sizeof(*res));
	p = policy_parse(yaml, len, file, diags);
	if (!p)
		return (int)(diag_count_errors(diags) - before);
	res->name = xstrdup(p->name);
	kernel_view_init_live(&kv, &key);
	/* no agent, maybe no root: judge the policy, not what this kernel can load */
	kv.offline = true;
	kv.has = NULL;
	cp = policy_compile(p, &kv, diags);
	if (cp) {
		res->kernel_checked = cp->kernel_checked;
		res->n_hooks = (unsigned)cp->n_hooks;
	}
	compiled_policy_free(cp);
	policy_free(p);
	return (int)(diag_count_errors(diags) - before);
}

void policy_check_result_free(struct policy_check_result *res)
{
	free(res->name);
	memset(res, 0, sizeof(*res));
}
