/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `rtenf probe` output, as pure functions of the probe results, so tests can
 * render any kernel's answers without that kernel.
 */
#ifndef RTENF_PROBE_FORMAT_H
#define RTENF_PROBE_FORMAT_H

#include "feature_probe.h"
#include "kernel_info.h"
#include "mechanism_plan.h"
#include "util.h"

struct probe_report {
	struct kernel_info kernel;
	enum feature_state state[FEAT_COUNT];
	int err[FEAT_COUNT]; /* -errno of the attempt when FEATURE_NO */
	struct mechanism_plans plans; /* the compiler's choices for these states */
};

void probe_report_free(struct probe_report *r);

/* Three sections: the kernel, one line per feature, and the mechanism
 * the compiler picks for each hook class. */
void probe_format_text(struct strbuf *out, const struct probe_report *r);
/* One JSON object and a newline (the layout is in docs/probe.md). */
void probe_format_json(struct strbuf *out, const struct probe_report *r);

#endif /* RTENF_PROBE_FORMAT_H */
