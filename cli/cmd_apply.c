// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "cli.h"

int cmd_apply(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "rtenf apply: not implemented yet\n");
	return 1;
}
