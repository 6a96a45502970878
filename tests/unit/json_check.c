// SPDX-License-Identifier: GPL-2.0-only
#include "json_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "utf8.h"

#define MAX_DEPTH 64
#define MAX_KEYS  256

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int depth;
	const char *why;
};

static bool fail(struct parser *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return false;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\r' ||
				    p->s[p->pos] == '\n'))
		p->pos++;
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "bad literal");
	p->pos += n;
	return true;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool number(struct parser *p)
{
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return fail(p, "bad number");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, "bad fraction");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, "bad exponent");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	return true;
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool string(struct parser *p)
{
	p->pos++; /* opening quote */
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		size_t n, bad;
		uint32_t cp;

		if (c == '"') {
			p->pos++;
			return true;
		}
		if (c < 0x20)
			return fail(p, "raw control character in string");
		if (c == '\\') {
			if (++p->pos >= p->len)
				return fail(p, "unterminated escape");
			c = p->s[p->pos];
			if (c == 'u') {
				for (int i = 1; i <= 4; i++)
					if (p->pos + i >= p->len || !is_hex(p->s[p->pos + i]))
						return fail(p, "bad \\u escape");
				p->pos += 5;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				p->pos++;
			} else {
				return fail(p, "bad escape");
			}
			continue;
		}
		n = utf8_decode(p->s + p->pos, p->len - p->pos, &cp, &bad);
		if (!n)
			return fail(p, "invalid UTF-8 in string");
		p->pos += n;
	}
	return fail(p, "unterminated string");
}

static bool value(struct parser *p);

static bool object(struct parser *p)
{
	size_t key_at[MAX_KEYS], key_len[MAX_KEYS], nkeys = 0;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		return true;
	}
	for (;;) {
		size_t start;

		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '"')
			return fail(p, "expected key");
		start = p->pos;
		if (!string(p))
			return false;
		for (size_t i = 0; i < nkeys; i++)
			if (key_len[i] == p->pos - start && !memcmp(p->s + key_at[i], p->s + start, key_len[i]))
				return fail(p, "duplicate key");
		if (nkeys == MAX_KEYS)
			return fail(p, "too many keys for the checker");
		key_at[nkeys] = start;
		key_len[nkeys++] = p->pos - start;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':')
			return fail(p, "expected ':'");
		p->pos++;
		if (!value(p))
			return false;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == '}') {
			p->pos++;
			return true;
		}
		return fail(p, "expected ',' or '}'");
	}
}

static bool array(struct parser *p)
{
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return true;
	}
	for (;;) {
		if (!value(p))
			return false;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ']') {
			p->pos++;
			return true;
		}
		return fail(p, "expected ',' or ']'");
	}
}

static bool value(struct parser *p)
{
	bool ok;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, "unexpected end");
	if (++p->depth > MAX_DEPTH)
		return fail(p, "nested too deep");
	switch (p->s[p->pos]) {
	case '{':
		ok = object(p);
		break;
	case '[':
		ok = array(p);
		break;
	case '"':
		ok = string(p);
		break;
	case 't':
		ok = literal(p, "true");
		break;
	case 'f':
		ok = literal(p, "false");
		break;
	case 'n':
		ok = literal(p, "null");
		break;
	default:
		ok = number(p);
		break;
	}
	p->depth--;
	return ok;
}

bool json_check(const char *s, size_t len, char *err, size_t errlen)
{
	struct parser p = {.s = (const unsigned char *)s, .len = len};

	if (value(&p)) {
		skip_ws(&p);
		if (p.pos == p.len)
			return true;
		fail(&p, "trailing characters");
	}
	snprintf(err, errlen, "%s at offset %zu", p.why, p.pos);
	return false;
}

int json_check_jq(const char *s)
{
	FILE *f;
	int st;

	if (system("command -v jq >/dev/null 2>&1") != 0)
		return -1;
	f = popen("jq -e . >/dev/null 2>&1", "w");
	if (!f)
		return -1;
	fputs(s, f);
	st = pclose(f);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}
