// SPDX-License-Identifier: GPL-2.0-only
#include "json_expect.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
	struct strbuf out = {0};
	int in[2], res[2], status;
	char buf[256];
	ssize_t n;
	pid_t pid;

	if (system("command -v jq >/dev/null 2>&1") != 0)
		return NULL;
	cr_assert_eq(pipe(in), 0);
	cr_assert_eq(pipe(res), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(res[1], STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		execlp("jq", "jq", "-c", filter, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	/* Lines are far below the pipe's capacity: write all, then read. */
	cr_assert_eq(write(in[1], line, strlen(line)), (ssize_t)strlen(line));
	close(in[1]);
	while ((n = read(res[0], buf, sizeof(buf))) > 0)
		sb_append(&out, buf, (size_t)n);
	close(res[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "jq %s failed", filter);
	if (out.len && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	return out.buf ? sb_steal(&out) : xstrdup("");
}
