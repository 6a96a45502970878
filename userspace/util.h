/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers every module uses: allocation that cannot return NULL,
 * growing arrays, and string buffers. */
#ifndef RTENF_UTIL_H
#define RTENF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((noreturn)) void die_oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

/* Room for element n of an array of n elements of size each: the array
 * itself while its allocation has room, else one twice as long. */
void *vec_room_for_one(void *arr, size_t n, size_t size);

/* Appends one zeroed element to *arr (of *n elements) and returns it. */
#define VEC_PUSH(arr, n) \
	((arr) = vec_room_for_one((arr), (n), sizeof(*(arr))), memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

/* A growable byte/string buffer; always NUL-terminated. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
__attribute__((format(printf, 2, 3))) void sb_printf(struct strbuf *sb, const char *fmt, ...);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
char *sb_steal(struct strbuf *sb);

/* Reads a whole file; returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);

#endif /* RTENF_UTIL_H */
