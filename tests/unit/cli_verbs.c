// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Makefile links userspace/ into the unit tests but not cli/, whose
 * main() would clash with criterion's.  The verbs under test are compiled
 * in here instead, so the tests call cmd_*() directly and never run a stale
 * build/rtenf.  Being one translation unit, these files must not share the
 * name of a static function; the compiler says so if they ever do.
 */
#include "cli_common.c"
#include "info_json.c"
#include "text_table.c"
#include "cmd_apply.c"
#include "cmd_delete.c"
#include "cmd_getevents.c"
#include "cmd_list.c"
#include "cmd_mode.c"
#include "cmd_validate.c"
