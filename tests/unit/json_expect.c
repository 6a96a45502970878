// SPDX-License-Identifier: GPL-2.0-only
#include "json_expect.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event_fixtures.h"
#include "event_format.h"
#include "json_check.h"

char *event_to_json(const rtenf_Event *ev)
{
	struct strbuf sb = {0};

	event_format_json(&sb, ev);
	return sb_steal(&sb);
}

void assert_valid_json_line(const char *line)
{
	size_t len = strlen(line);
	char err[128];
	int jq;

	cr_assert(len > 0 && line[len - 1] == '\n', "not newline-terminated: %s", line);
	cr_assert_null(memchr(line, '\n', len - 1), "more than one line: %s", line);
	cr_assert(json_check(line, len - 1, err, sizeof(err)), "invalid JSON (%s): %s", err, line);
	jq = json_check_jq(line);
	cr_assert(jq != 0, "jq rejects: %s", line);
}

void expect_json(rtenf_Event *ev, const char *want)
{
	char *got = event_to_json(ev);

	assert_valid_json_line(got);
	cr_assert_str_eq(got, want);
	free(got);
	fx_release(ev);
}

char *jq_output(const char *line, const char *filter)
{
	char in[] = "/tmp/rtenf-jq-XXXXXX";
	struct strbuf cmd = {0}, out = {0};
	char buf[256];
	size_t n;
	FILE *f;
	int fd;

	if (system("command -v jq >/dev/null 2>&1") != 0)
		return NULL;
	/* The line goes through a file so the filter alone needs quoting;
	 * filters are literals of the tests and contain no single quote. */
	cr_assert_null(strchr(filter, '\''));
	fd = mkstemp(in);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
	sb_printf(&cmd, "jq -c '%s' < %s", filter, in);
	f = popen(cmd.buf, "r");
	cr_assert_not_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_append(&out, buf, n);
	cr_assert_eq(pclose(f), 0, "jq %s failed", filter);
	unlink(in);
	sb_free(&cmd);
	if (out.len && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	return out.buf ? sb_steal(&out) : xstrdup("");
}
