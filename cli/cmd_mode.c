// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "cli.h"

int cmd_mode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "rtenf mode: not implemented yet\n");
	return 1;
}
