// SPDX-License-Identifier: GPL-2.0-only
/*
 * An estimate of what glibc's regcomp builds for an extended regex: the
 * number of atoms once X{n,m} is m copies of X (n+1 for X{n,}), X+ two,
 * and alternatives and sequences add up; and how many of those atoms are
 * optional, i.e. in a part that can match the empty string (X?, X*, the
 * m - n copies beyond n, a group with an empty alternative, zero-width
 * atoms such as \b).  Only the shape is read; a regex regcomp would reject
 * gets a harmless estimate and its syntax error later.  Where unsure, the
 * estimate counts more, never less: a whole group that can match nothing
 * counts as optional although only its first atoms are.
 */
#include "regex_guard.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CAP (REGEX_MAX_ATOMS + 1ull) /* saturate: only "over the limit" matters */

typedef unsigned long long ull;

struct scan {
	const char *s;
	size_t i;
	bool backref;
};

struct cost {
	ull atoms;
	ull optional; /* of atoms */
	bool empty;   /* the whole can match the empty string */
};

static ull mul(ull a, ull b)
{
	return b && a > CAP / b ? CAP : a * b > CAP ? CAP : a * b;
}

static ull add(ull a, ull b)
{
	return a + b > CAP ? CAP : a + b;
}

static struct cost can_be_empty(struct cost c)
{
	c.empty = true;
	c.optional = c.atoms;
	return c;
}

/* X{n,m} as glibc builds it: n copies of X, then m - n optional ones
 * (X{n,} is n copies and a starred one: m = n + 1). */
static struct cost repeat(struct cost x, ull n, ull m)
{
	struct cost r = {mul(x.atoms, m), add(mul(x.optional, n), mul(x.atoms, m - n)), x.empty || !n};

	return r.empty ? can_be_empty(r) : r;
}

/* One character of an interval as glibc's fetch_number() reads it: a
 * backslash takes the next character literally, so "\," is a comma and
 * "\0" a digit ("\1" to "\9" are backreferences, "\}" closes nothing).
 * Returns the character, -1 for an escape that is neither, 0 at the end. */
static int interval_char(const char **p)
{
	int c = (unsigned char)**p;

	if (!c)
		return 0;
	if (c == '\\' && (*p)[1]) {
		c = (unsigned char)(*p)[1];
		*p += 2;
		return c == ',' || c == '0' ? c : -1;
	}
	(*p)++;
	return c;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* "{n}", "{n,}", "{n,m}", "{,m}" (glibc: "{0,m}") at s->i: true with the
 * copies glibc makes, n of them mandatory; false when this is not an
 * interval (then '{' is an ordinary character or regcomp rejects it). */
static bool interval(struct scan *s, ull *n_out, ull *m_out)
{
	const char *p = s->s + s->i + 1;
	int c = interval_char(&p);
	ull n = 0, m;
	bool have_n = false;

	for (; is_digit(c); c = interval_char(&p)) {
		n = n > CAP ? CAP : n * 10 + (unsigned)(c - '0');
		have_n = true;
	}
	m = n;
	if (c == ',') {
		c = interval_char(&p);
		if (!is_digit(c)) {
			m = n + 1; /* unbounded: n copies and a starred one */
		} else {
			for (m = 0; is_digit(c); c = interval_char(&p))
				m = m > CAP ? CAP : m * 10 + (unsigned)(c - '0');
			if (m < n)
				m = n; /* regcomp rejects it */
		}
	} else if (!have_n) {
		return false;
	}
	if (c != '}')
		return false;
	s->i = (size_t)(p - s->s);
	*n_out = n;
	*m_out = m;
	return true;
}

/* Skips a bracket expression starting at '[' (classes like [:alpha:]
 * inside included). */
static void bracket(struct scan *s)
{
	size_t i = s->i + 1;

	if (s->s[i] == '^')
		i++;
	if (s->s[i] == ']')
		i++;
	while (s->s[i] && s->s[i] != ']') {
		if (s->s[i] == '[' && (s->s[i + 1] == ':' || s->s[i + 1] == '.' || s->s[i + 1] == '=')) {
			const char *end = strchr(s->s + i + 2, s->s[i + 1]);

			while (end && end[1] != ']')
				end = strchr(end + 1, s->s[i + 1]);
			i = end ? (size_t)(end + 2 - s->s) : strlen(s->s);
			continue;
		}
		i++;
	}
	s->i = s->s[i] ? i + 1 : i;
}

/* Adds an item to a sequence; the sequence's last item is kept apart
 * until no repetition can follow it. */
static void append(struct cost *seq, struct cost item)
{
	seq->atoms = add(seq->atoms, item.atoms);
	seq->optional = add(seq->optional, item.optional);
	seq->empty = seq->empty && item.empty;
}

static struct cost alternatives(struct scan *s, unsigned depth);

/* One branch: a sequence up to '|', an unmatched ')' (below the top) or
 * the end. */
static struct cost sequence(struct scan *s, unsigned depth)
{
	static const struct cost none = {0, 0, true}, atom = {1, 0, false}, zero_width = {1, 1, true};
	struct cost seq = none, last = none;
	ull n, m;

	while (s->s[s->i] && s->s[s->i] != '|' && !(s->s[s->i] == ')' && depth)) {
		char c = s->s[s->i];

		switch (c) {
		case '(':
			s->i++;
			append(&seq, last);
			last = alternatives(s, depth + 1);
			last.atoms = add(last.atoms, 1);
			if (last.empty)
				last = can_be_empty(last);
			if (s->s[s->i] == ')')
				s->i++;
			continue;
		case '[':
			bracket(s);
			append(&seq, last);
			last = atom;
			continue;
		case '\\':
			c = s->s[s->i + 1];
			if (c >= '1' && c <= '9')
				s->backref = true;
			s->i += c ? 2 : 1;
			append(&seq, last);
			last = c && strchr("bB<>`'", c) ? zero_width : atom;
			continue;
		case '{':
			if (interval(s, &n, &m)) {
				last = repeat(last, n, m);
				continue;
			}
			break;
		case '+':
			s->i++;
			last = repeat(last, 1, 2); /* X+ is XX* */
			continue;
		case '*':
		case '?':
			s->i++; /* no copies: the operand becomes optional */
			last = can_be_empty(last);
			continue;
		case '^':
		case '$':
			s->i++;
			append(&seq, last);
			last = zero_width;
			continue;
		}
		s->i++;
		append(&seq, last);
		last = atom;
	}
	append(&seq, last);
	return seq;
}

/* Alternatives up to an unmatched ')' (below the top) or the end. */
static struct cost alternatives(struct scan *s, unsigned depth)
{
	struct cost total = sequence(s, depth);

	while (s->s[s->i] == '|') {
		struct cost branch;

		s->i++;
		branch = sequence(s, depth);
		total.atoms = add(total.atoms, branch.atoms);
		total.optional = add(total.optional, branch.optional);
		total.empty = total.empty || branch.empty;
	}
	return total.empty ? can_be_empty(total) : total;
}

int regex_guard(const char *re, char *err, size_t errlen)
{
	struct scan s = {.s = re};
	size_t len = strlen(re);
	struct cost c;

	if (len > REGEX_MAX_LEN) {
		snprintf(err, errlen, "regex is %zu bytes long, over the limit of %d", len, REGEX_MAX_LEN);
		return -1;
	}
	c = alternatives(&s, 0); /* at the top an unmatched ')' is an atom */
	if (s.backref) {
		snprintf(err, errlen,
			 "backreferences (\\1 to \\9) are not allowed: they can make matching take "
			 "exponential time");
		return -1;
	}
	if (c.atoms > REGEX_MAX_ATOMS) {
		snprintf(err, errlen,
			 "regex repeats too much: its bounded repetitions {n,m} expand to more than %d atoms; "
			 "use * or + instead of large or nested bounds",
			 REGEX_MAX_ATOMS);
		return -1;
	}
	if (c.optional > REGEX_MAX_OPTIONAL_ATOMS) {
		snprintf(err, errlen,
			 "regex repeats too much: more than %d of its atoms, once bounded repetitions {n,m} "
			 "are expanded, are optional (the copies beyond n, or under ?, * or an empty "
			 "alternative); use * or + instead of large or nested bounds",
			 REGEX_MAX_OPTIONAL_ATOMS);
		return -1;
	}
	return 0;
}
