/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What each policy would have enforced (audit) and did enforce since it was
 * applied (`rtenf report`), tallied from the hook events the agent reads.
 *
 * Per policy three tables: by rule (hook and selector), by binary and by
 * container, each row also keyed by the action.  Memory is bounded: a table
 * keeps at most row_cap distinct rows, and every event that would need one
 * more is counted in the table's single "other" row, so each table's counts
 * always add up to the policy's total.  Tallies are keyed by policy id, so a
 * replaced policy starts from zero.
 */
#ifndef RTENF_POLICY_REPORT_H
#define RTENF_POLICY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.pb.h"
#include "events.pb.h"

#define REPORT_ROW_CAP_DEFAULT 128

/* One hook event, as the tally sees it.  Strings are borrowed. */
struct report_event {
	const char *hook; /* "tracepoint syscalls/sys_enter_unshare" */
	uint32_t selector;
	const char *message; /* the hook's message, or NULL */
	const char *binary;
	const char *container; /* container id; NULL or "" is the host */
	rtenf_KprobeAction action;
	bool enforced;
	bool audited;  /* audit mode: the action was reported, not applied */
	uint64_t time; /* ns since the Unix epoch */
};

struct report_row {
	char *key;  /* what the row is for, as one string (hash and compare) */
	char *hook; /* rules */
	uint32_t selector;
	char *message;
	char *value; /* binaries: the path; containers: the id or "host" */
	rtenf_KprobeAction action;
	uint64_t events, enforced, audited;
	uint64_t first_seen, last_seen;
};

struct report_table {
	struct report_row *rows;
	size_t n;
	int32_t *slots; /* open addressing: row index + 1, 0 empty; 2 * cap of them */
	size_t n_slots;
	struct report_row other; /* events == 0: no overflow yet */
};

struct policy_tally {
	uint32_t policy_id;
	uint64_t events, enforced, audited;
	struct report_table rules, binaries, containers;
};

struct report_book {
	struct policy_tally **v;
	size_t n;
	size_t row_cap; /* per table; 0: REPORT_ROW_CAP_DEFAULT */
};

/* Fills e from a hook event (process_tracepoint, _kprobe, _lsm, _uprobe);
 * false for any other event.  hook is written into buf. */
bool report_event_from(const rtenf_Event *ev, struct report_event *e, char *buf, size_t buf_len);

void report_book_add(struct report_book *b, uint32_t policy_id, const struct report_event *e);
/* NULL when nothing was tallied for the policy yet. */
const struct policy_tally *report_book_find(const struct report_book *b, uint32_t policy_id);
void report_book_drop(struct report_book *b, uint32_t policy_id);
void report_book_free(struct report_book *b);

/* Fills the rows, totals and row_cap of r from t (t may be NULL: nothing
 * seen); everything is heap-allocated so pb_release() frees it. */
void report_fill(const struct report_book *b, const struct policy_tally *t, rtenf_PolicyReport *r);

#endif /* RTENF_POLICY_REPORT_H */
