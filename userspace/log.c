// SPDX-License-Identifier: GPL-2.0-only
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum log_level current = LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level l)
{
	current = l;
}

enum log_level log_get_level(void)
{
	return current;
}

int log_level_parse(const char *s)
{
	for (int i = 0; i <= LOG_DEBUG; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l > current)
		return;
	fprintf(stderr, "rtenf: %s", l == LOG_ERROR ? "error: " : l == LOG_WARN ? "warning: " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
