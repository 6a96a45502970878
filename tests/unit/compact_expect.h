/* SPDX-License-Identifier: GPL-2.0-only */
/* Assertions on compact lines, shared by the compact tests. */
#ifndef RTENF_TEST_COMPACT_EXPECT_H
#define RTENF_TEST_COMPACT_EXPECT_H

#include <stdbool.h>

#include "events.pb.h"

/* The compact line of ev (caller frees). */
char *event_to_compact(const rtenf_Event *ev, bool color);
/* Checks the plain line equals want, that colour adds escape codes and no
 * other text, then releases ev. */
void expect_compact(rtenf_Event *ev, const char *want);

#endif /* RTENF_TEST_COMPACT_EXPECT_H */
