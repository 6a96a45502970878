/* SPDX-License-Identifier: GPL-2.0-only */
/* Agent log: human messages on stderr, gated by --log-level. */
#ifndef RTENF_LOG_H
#define RTENF_LOG_H

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void log_set_level(enum log_level l);
enum log_level log_get_level(void);
/* Parses "error", "warn", "info", "debug"; -1 if unknown. */
int log_level_parse(const char *s);
__attribute__((format(printf, 2, 3))) void log_msg(enum log_level l, const char *fmt, ...);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* RTENF_LOG_H */
