// SPDX-License-Identifier: GPL-2.0-only
/* Open flags and inode modes as text.  Uses the kernel's <asm/fcntl.h>, as
 * names_file.c does, so this file must not include libc's <fcntl.h>. */
#include <asm/fcntl.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "names.h"

static void expect_flags(uint32_t flags, const char *want)
{
	struct strbuf sb = {0};

	open_flags_format(&sb, flags);
	cr_assert_str_eq(sb.buf, want, "flags 0%o", flags);
	sb_free(&sb);
}

Test(names_file, access_modes)
{
	expect_flags(O_RDONLY, "O_RDONLY");
	expect_flags(O_WRONLY, "O_WRONLY");
	expect_flags(O_RDWR, "O_RDWR");
	expect_flags(O_ACCMODE, "O_ACCMODE");
}

Test(names_file, every_flag_by_name)
{
	static const struct {
		uint32_t bits;
		const char *name;
	} flags[] = {
		{O_CREAT, "O_CREAT"},         {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
		{O_TRUNC, "O_TRUNC"},         {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
		{O_DSYNC, "O_DSYNC"},         {FASYNC, "O_ASYNC"},        {O_DIRECT, "O_DIRECT"},
		{O_LARGEFILE, "O_LARGEFILE"}, {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"},
		{O_NOATIME, "O_NOATIME"},     {O_CLOEXEC, "O_CLOEXEC"},   {O_PATH, "O_PATH"},
		{O_SYNC, "O_SYNC"},           {O_TMPFILE, "O_TMPFILE"},
	};
	char want[64];

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		cr_assert_neq(flags[i].bits, 0, "%s is 0 in these headers", flags[i].name);
		snprintf(want, sizeof(want), "O_RDONLY|%s", flags[i].name);
		expect_flags(flags[i].bits, want);
	}
}

Test(names_file, combinations_and_unknown_bits)
{
	expect_flags(O_RDONLY | O_CLOEXEC, "O_RDONLY|O_CLOEXEC");
	expect_flags(O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC");
	/* The kernel sets O_LARGEFILE on 64-bit machines; glibc calls it 0. */
	expect_flags(O_RDONLY | O_LARGEFILE | O_NOFOLLOW, "O_RDONLY|O_LARGEFILE|O_NOFOLLOW");
	/* Flags that include others are named once. */
	expect_flags(O_RDWR | O_SYNC, "O_RDWR|O_SYNC");
	expect_flags(O_RDWR | O_TMPFILE, "O_RDWR|O_TMPFILE");
	expect_flags(O_RDONLY | O_DIRECTORY, "O_RDONLY|O_DIRECTORY");
	/* __FMODE_EXEC (0x20) lives in f_flags of files opened for exec. */
	expect_flags(O_RDONLY | 0x20, "O_RDONLY|0x20");
	expect_flags(O_RDONLY | O_CLOEXEC | 0x80000000u, "O_RDONLY|O_CLOEXEC|0x80000000");
}

static void expect_mode(uint32_t mode, const char *want)
{
	char out[INODE_MODE_STRING_SIZE];

	cr_assert(inode_mode_string(mode, out), "mode 0%o", mode);
	cr_assert_str_eq(out, want, "mode 0%o", mode);
}

Test(names_file, inode_modes_like_ls)
{
	expect_mode(S_IFREG | 0644, "-rw-r--r--");
	expect_mode(S_IFDIR | 0755, "drwxr-xr-x");
	expect_mode(S_IFDIR | 01777, "drwxrwxrwt");
	expect_mode(S_IFDIR | 01770, "drwxrwx--T");
	expect_mode(S_IFREG | 04755, "-rwsr-xr-x");
	expect_mode(S_IFREG | 04644, "-rwSr--r--");
	expect_mode(S_IFREG | 02755, "-rwxr-sr-x");
	expect_mode(S_IFREG | 02745, "-rwxr-Sr-x");
	expect_mode(S_IFLNK | 0777, "lrwxrwxrwx");
	expect_mode(S_IFCHR | 0620, "crw--w----");
	expect_mode(S_IFBLK | 0660, "brw-rw----");
	expect_mode(S_IFIFO | 0600, "prw-------");
	expect_mode(S_IFSOCK | 0755, "srwxr-xr-x");
	expect_mode(S_IFREG, "----------");
	expect_mode(0644, "?rw-r--r--"); /* no type bits */
	expect_mode(0170000 | 0644, "?rw-r--r--");
}

Test(names_file, mode_zero_is_unknown)
{
	char out[INODE_MODE_STRING_SIZE] = "garbage";

	cr_assert_not(inode_mode_string(0, out));
	cr_assert_str_eq(out, "");
}
