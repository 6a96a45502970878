/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Offline checking of policy files, shared by `rtenf validate` and the
 * agent's apply path: parse, then compile.  With a readable tracefs the
 * compiler also checks tracepoints and argument indexes against this kernel;
 * without one (not root) it checks everything else and says so.
 */
#ifndef RTENF_POLICY_CHECK_H
#define RTENF_POLICY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct policy_check_result {
	char *name;           /* metadata.name, NULL if the parse failed */
	bool kernel_checked;  /* tracepoints were checked against this kernel */
	unsigned n_hooks;
};

/* Returns the number of errors (0: valid).  Warnings and errors go to diags. */
int policy_check(const char *yaml, size_t len, const char *file, struct diag_list *diags,
		 struct policy_check_result *res);
void policy_check_result_free(struct policy_check_result *res);

#endif /* RTENF_POLICY_CHECK_H */
