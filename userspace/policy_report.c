// SPDX-License-Identifier: GPL-2.0-only
#include "policy_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define HOST_CONTAINER "host"

static const char *str_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

bool report_event_from(const rtenf_Event *ev, struct report_event *e, char *buf, size_t buf_len)
{
	const rtenf_Process *p = NULL;

	memset(e, 0, sizeof(*e));
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag: {
		const rtenf_ProcessTracepoint *t = &ev->event.process_tracepoint;

		snprintf(buf, buf_len, "tracepoint %s/%s", str_or(t->subsys, "?"), str_or(t->event, "?"));
		p = t->process;
		e->selector = t->selector, e->message = t->message, e->action = t->action;
		e->enforced = t->enforced;
		e->audited = !t->enforced && t->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT;
		break;
	}
	case rtenf_Event_process_kprobe_tag: {
		const rtenf_ProcessKprobe *k = &ev->event.process_kprobe;

		snprintf(buf, buf_len, "kprobe %s", str_or(k->function_name, "?"));
		p = k->process;
		e->selector = k->selector, e->message = k->message, e->action = k->action;
		e->enforced = k->enforced;
		e->audited = !k->enforced && k->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT;
		break;
	}
	case rtenf_Event_process_lsm_tag: {
		const rtenf_ProcessLsm *l = &ev->event.process_lsm;

		snprintf(buf, buf_len, "lsm %s", str_or(l->function_name, "?"));
		p = l->process;
		e->selector = l->selector, e->message = l->message, e->action = l->action;
		e->enforced = l->enforced;
		e->audited = !l->enforced && l->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT;
		break;
	}
	case rtenf_Event_process_uprobe_tag: {
		const rtenf_ProcessUprobe *u = &ev->event.process_uprobe;

		snprintf(buf, buf_len, "uprobe %s:%s", str_or(u->path, "?"), str_or(u->symbol, "?"));
		p = u->process;
		e->selector = u->selector, e->message = u->message, e->action = u->action;
		e->enforced = u->enforced;
		e->audited = !u->enforced && u->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT;
		break;
	}
	default:
		return false;
	}
	e->hook = buf;
	e->binary = p ? p->binary : NULL;
	e->container = p ? p->container_id : NULL;
	e->time = ev->time;
	return true;
}

/* ---- one table ----------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void row_count(struct report_row *r, const struct report_event *e)
{
	if (!r->events || e->time < r->first_seen)
		r->first_seen = e->time;
	if (e->time > r->last_seen)
		r->last_seen = e->time;
	r->events++;
	r->enforced += e->enforced;
	r->audited += e->audited;
}

/* The row for key, made when there is room; NULL when the table is full. */
static struct report_row *table_row(struct report_table *t, size_t cap, const char *key)
{
	size_t i;

	if (!t->slots) {
		t->n_slots = 2 * cap;
		t->slots = xcalloc(t->n_slots, sizeof(*t->slots));
		t->rows = xcalloc(cap, sizeof(*t->rows));
	}
	/* at most half full: every probe sequence ends at an empty slot */
	for (i = fnv1a(key) % t->n_slots; t->slots[i]; i = (i + 1) % t->n_slots)
		if (!strcmp(t->rows[t->slots[i] - 1].key, key))
			return &t->rows[t->slots[i] - 1];
	if (t->n >= cap)
		return NULL;
	t->rows[t->n].key = xstrdup(key);
	t->slots[i] = (int32_t)++t->n;
	return &t->rows[t->n - 1];
}

static void table_free(struct report_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].key);
		free(t->rows[i].hook);
		free(t->rows[i].message);
		free(t->rows[i].value);
	}
	free(t->rows);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* Counts e in the row for key, or in the "other" row once the table is
 * full; a new row gets its description from describe(). */
static void table_count(struct report_table *t, size_t cap, const char *key, const struct report_event *e,
			void (*describe)(struct report_row *r, const struct report_event *e))
{
	struct report_row *r = table_row(t, cap, key);

	if (!r) {
		row_count(&t->other, e);
		return;
	}
	if (!r->events)
		describe(r, e);
	row_count(r, e);
}

static void describe_rule(struct report_row *r, const struct report_event *e)
{
	r->hook = xstrdup(str_or(e->hook, "?"));
	r->selector = e->selector;
	r->message = e->message && *e->message ? xstrdup(e->message) : NULL;
	r->action = e->action;
}

static void describe_binary(struct report_row *r, const struct report_event *e)
{
	r->value = xstrdup(str_or(e->binary, ""));
	r->action = e->action;
}

static void describe_container(struct report_row *r, const struct report_event *e)
{
	r->value = xstrdup(str_or(e->container, HOST_CONTAINER));
	r->action = e->action;
}

/* ---- the book -------------------------------------------------------------- */

static struct policy_tally *book_find(const struct report_book *b, uint32_t policy_id)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i]->policy_id == policy_id)
			return b->v[i];
	return NULL;
}

const struct policy_tally *report_book_find(const struct report_book *b, uint32_t policy_id)
{
	return book_find(b, policy_id);
}

static size_t row_cap(const struct report_book *b)
{
	return b->row_cap ? b->row_cap : REPORT_ROW_CAP_DEFAULT;
}

void report_book_add(struct report_book *b, uint32_t policy_id, const struct report_event *e)
{
	struct policy_tally *t = book_find(b, policy_id);
	size_t cap = row_cap(b);
	char *key;

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		t->policy_id = policy_id;
		*VEC_PUSH(b->v, b->n) = t;
	}
	t->events++;
	t->enforced += e->enforced;
	t->audited += e->audited;
	/* fields are separated by a byte no path or name holds */
	key = xasprintf("%s\x1f%u\x1f%d", str_or(e->hook, "?"), e->selector, (int)e->action);
	table_count(&t->rules, cap, key, e, describe_rule);
	free(key);
	key = xasprintf("%s\x1f%d", str_or(e->binary, ""), (int)e->action);
	table_count(&t->binaries, cap, key, e, describe_binary);
	free(key);
	key = xasprintf("%s\x1f%d", str_or(e->container, HOST_CONTAINER), (int)e->action);
	table_count(&t->containers, cap, key, e, describe_container);
	free(key);
}

static void tally_free(struct policy_tally *t)
{
	table_free(&t->rules);
	table_free(&t->binaries);
	table_free(&t->containers);
	free(t);
}

void report_book_drop(struct report_book *b, uint32_t policy_id)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->v[i]->policy_id != policy_id)
			continue;
		tally_free(b->v[i]);
		memmove(&b->v[i], &b->v[i + 1], (b->n - i - 1) * sizeof(*b->v));
		b->n--;
		return;
	}
}

void report_book_free(struct report_book *b)
{
	for (size_t i = 0; i < b->n; i++)
		tally_free(b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

/* ---- to the wire ----------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void wire_row(const struct report_row *r, rtenf_ReportRow *w, bool is_rule, bool is_container)
{
	memset(w, 0, sizeof(*w));
	if (is_rule) {
		w->hook = dup_or_null(r->hook);
		w->selector = r->selector;
		w->message = dup_or_null(r->message);
	} else if (is_container) {
		w->container = dup_or_null(r->value);
	} else {
		w->binary = dup_or_null(r->value);
	}
	w->action = r->action;
	w->events = r->events;
	w->enforced = r->enforced;
	w->audited = r->audited;
	w->first_seen = r->first_seen;
	w->last_seen = r->last_seen;
}

static rtenf_ReportRow *wire_table(const struct report_table *t, pb_size_t *count, bool is_rule, bool is_container)
{
	size_t n = t->n + (t->other.events ? 1 : 0);
	rtenf_ReportRow *w = xcalloc(n ? n : 1, sizeof(*w));

	for (size_t i = 0; i < t->n; i++)
		wire_row(&t->rows[i], &w[i], is_rule, is_container);
	if (t->other.events) {
		wire_row(&t->other, &w[t->n], false, false);
		w[t->n].action = rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN; /* may mix actions */
		w[t->n].other = true;
	}
	*count = (pb_size_t)n;
	return w;
}

void report_fill(const struct report_book *b, const struct policy_tally *t, rtenf_PolicyReport *r)
{
	static const struct policy_tally none;

	if (!t)
		t = &none;
	r->row_cap = (uint32_t)row_cap(b);
	r->events = t->events;
	r->enforced = t->enforced;
	r->audited = t->audited;
	r->rules = wire_table(&t->rules, &r->rules_count, true, false);
	r->binaries = wire_table(&t->binaries, &r->binaries_count, false, false);
	r->containers = wire_table(&t->containers, &r->containers_count, false, true);
}
