// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "cli.h"

int cmd_getevents(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "rtenf getevents: not implemented yet\n");
	return 1;
}
