/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Regexes from users (getevents --process, generated_ftrace patterns) are
 * compiled by glibc inside the agent's one thread.  glibc expands a bounded
 * repetition by copying its operand, so nested bounds multiply:
 * "((a{1,255}){1,255}){1,255}" asks regcomp for 16 million copies, which
 * took minutes and over 2 GiB here.  Backreferences (a glibc extension in
 * extended syntax) make regexec backtrack, exponentially in the worst case,
 * on every event a client is sent.  regex_guard() refuses both before
 * regcomp sees them, and long runs of optional atoms, whose cost in
 * regcomp is quadratic.
 */
#ifndef RTENF_REGEX_GUARD_H
#define RTENF_REGEX_GUARD_H

#include <stddef.h>

#define REGEX_MAX_LEN 1024
/* Atoms after expanding every bounded repetition; regcomp of 10,000 takes
 * about 10 ms. */
#define REGEX_MAX_ATOMS 10000
/* Of those, atoms in parts that can match nothing ("a{1,2000}" has 1999:
 * the copies beyond the first).  glibc links each such atom to every one
 * after it that can be reached without reading a character, so memory and
 * time grow with their square: a{1,2000} takes 18 ms and 32 MB here,
 * a{1,9999} 0.5 s and 770 MB, (\b){4999} 1.5 s and 1 GB. */
#define REGEX_MAX_OPTIONAL_ATOMS 2000

/* 0 if re may be given to regcomp(REG_EXTENDED); else -1 with the reason in
 * err ("repeats too much: ...").  Does not check the syntax: regcomp does. */
int regex_guard(const char *re, char *err, size_t errlen);

#endif /* RTENF_REGEX_GUARD_H */
