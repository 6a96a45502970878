// SPDX-License-Identifier: GPL-2.0-only
/*
 * An estimate of what glibc's regcomp builds for an extended regex: the
 * number of atoms once X{n,m} is m copies of X (n+1 for X{n,}), X+ two,
 * and alternatives and sequences add up.  Only the shape is read; a regex
 * regcomp would reject gets a harmless estimate and its syntax error later.
 */
#include "regex_guard.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CAP (REGEX_MAX_ATOMS + 1ull) /* saturate: only "over the limit" matters */

struct scan {
	const char *s;
	size_t i;
	bool backref;
};

static unsigned long long mul(unsigned long long a, unsigned long long b)
{
	return b && a > CAP / b ? CAP : a * b > CAP ? CAP : a * b;
}

static unsigned long long add(unsigned long long a, unsigned long long b)
{
	return a + b > CAP ? CAP : a + b;
}

/* "{n}", "{n,}", "{n,m}" at s->i: the copies glibc makes, or 0 when this is
 * not an interval (then '{' is an ordinary character). */
static unsigned long long interval(struct scan *s)
{
	const char *p = s->s + s->i + 1;
	unsigned long long n = 0, m;
	bool unbounded = false;

	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		n = n > CAP ? CAP : n * 10 + (unsigned)(*p++ - '0');
	m = n;
	if (*p == ',') {
		p++;
		if (isdigit((unsigned char)*p)) {
			m = 0;
			while (isdigit((unsigned char)*p))
				m = m > CAP ? CAP : m * 10 + (unsigned)(*p++ - '0');
		} else {
			unbounded = true;
		}
	}
	if (*p != '}')
		return 0;
	s->i = (size_t)(p + 1 - s->s);
	if (unbounded)
		return n + 1;
	return m > n ? (m ? m : 1) : (n ? n : 1);
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

/* Alternatives up to an unmatched ')' or the end. */
static unsigned long long alternatives(struct scan *s, unsigned depth)
{
	unsigned long long total = 0, last = 0;

	while (s->s[s->i] && !(s->s[s->i] == ')' && depth)) {
		char c = s->s[s->i];
		unsigned long long k;

		switch (c) {
		case '(':
			s->i++;
			last = add(alternatives(s, depth + 1), 1);
			if (s->s[s->i] == ')')
				s->i++;
			total = add(total, last);
			continue;
		case '[':
			bracket(s);
			last = 1;
			total = add(total, 1);
			continue;
		case '\\':
			if (s->s[s->i + 1] >= '1' && s->s[s->i + 1] <= '9')
				s->backref = true;
			s->i += s->s[s->i + 1] ? 2 : 1;
			last = 1;
			total = add(total, 1);
			continue;
		case '{':
			k = interval(s);
			if (k) {
				/* the operand's copies replace it: (k - 1) more of it */
				total = add(total, mul(last, k - 1));
				last = mul(last, k);
				continue;
			}
			break;
		case '+':
			s->i++;
			total = add(total, last);
			last = mul(last, 2);
			continue;
		case '*':
		case '?':
			s->i++; /* no copies: the operand stays what it was */
			continue;
		case '|':
		case '^':
		case '$':
			s->i++;
			last = 0;
			continue;
		}
		s->i++;
		last = 1;
		total = add(total, 1);
	}
	return total;
}

int regex_guard(const char *re, char *err, size_t errlen)
{
	struct scan s = {.s = re};
	size_t len = strlen(re);
	unsigned long long atoms;

	if (len > REGEX_MAX_LEN) {
		snprintf(err, errlen, "regex is %zu bytes long, over the limit of %d", len, REGEX_MAX_LEN);
		return -1;
	}
	atoms = alternatives(&s, 0); /* at the top an unmatched ')' is an atom */
	if (s.backref) {
		snprintf(err, errlen,
			 "backreferences (\\1 to \\9) are not allowed: they can make matching take "
			 "exponential time");
		return -1;
	}
	if (atoms > REGEX_MAX_ATOMS) {
		snprintf(err, errlen,
			 "regex repeats too much: its bounded repetitions {n,m} expand to more than %d atoms; "
			 "use * or + instead of large or nested bounds",
			 REGEX_MAX_ATOMS);
		return -1;
	}
	return 0;
}
