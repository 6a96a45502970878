// SPDX-License-Identifier: GPL-2.0-only
/* The securityfs parsers behind `rtenf probe`'s kernel section. */
#include <string.h>

#include <criterion/criterion.h>

#include "kernel_info.h"

Test(kernel_info, lsm_list_in_boot_order)
{
	struct kernel_info ki = {0};

	cr_assert(kernel_info_parse_lsm(&ki, "lockdown,capability,landlock,bpf"));
	cr_assert(ki.lsm_known);
	cr_assert_eq(ki.n_lsm, 4);
	cr_assert_str_eq(ki.lsm[0], "lockdown");
	cr_assert_str_eq(ki.lsm[3], "bpf");
	cr_assert_eq(ki.bpf_lsm_active, 1);
	kernel_info_free(&ki);
}

Test(kernel_info, lsm_list_without_bpf)
{
	struct kernel_info ki = {0};

	/* The file has no trailing newline, but tolerate one. */
	cr_assert(kernel_info_parse_lsm(&ki, "capability,yama,apparmor\n"));
	cr_assert_eq(ki.n_lsm, 3);
	cr_assert_str_eq(ki.lsm[2], "apparmor");
	cr_assert_eq(ki.bpf_lsm_active, 0);
	kernel_info_free(&ki);
}

Test(kernel_info, lsm_name_containing_bpf_is_not_bpf)
{
	struct kernel_info ki = {0};

	cr_assert(kernel_info_parse_lsm(&ki, "capability,bpffoo"));
	cr_assert_eq(ki.bpf_lsm_active, 0);
	kernel_info_free(&ki);
}

Test(kernel_info, lsm_list_malformed)
{
	struct kernel_info ki = {0};

	cr_assert_not(kernel_info_parse_lsm(&ki, "capability,,bpf"));
	kernel_info_free(&ki);
}

Test(kernel_info, lockdown_bracketed_word)
{
	char level[32];

	cr_assert(kernel_info_parse_lockdown("none [integrity] confidentiality\n", level, sizeof(level)));
	cr_assert_str_eq(level, "integrity");
	cr_assert(kernel_info_parse_lockdown("[none] integrity confidentiality\n", level, sizeof(level)));
	cr_assert_str_eq(level, "none");
	cr_assert(kernel_info_parse_lockdown("none integrity [confidentiality]", level, sizeof(level)));
	cr_assert_str_eq(level, "confidentiality");
}

Test(kernel_info, lockdown_without_brackets)
{
	char level[32] = "";

	cr_assert_not(kernel_info_parse_lockdown("none integrity confidentiality\n", level, sizeof(level)));
	cr_assert_not(kernel_info_parse_lockdown("none [] integrity\n", level, sizeof(level)));
	cr_assert_not(kernel_info_parse_lockdown("none [integrity\n", level, sizeof(level)));
}
