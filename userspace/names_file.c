// SPDX-License-Identifier: GPL-2.0-only
/*
 * A file's open flags and inode mode as text.
 *
 * The O_* values come from the kernel's <asm/fcntl.h>, not from libc's
 * <fcntl.h>: several differ between architectures (O_DIRECTORY, O_DIRECT,
 * O_LARGEFILE on arm64), and glibc defines O_LARGEFILE as 0 on 64-bit
 * machines, while the kernel still sets its bit in every f_flags there.
 * The agent reads the f_flags of its own machine, so the build machine's
 * kernel headers are the right ones.  The names are spelled out.
 */
#include "names.h"

#include <asm/fcntl.h>

#include "util.h"

/* Flags that contain other flags come first: O_SYNC includes O_DSYNC and
 * O_TMPFILE includes O_DIRECTORY, and a reader expects to see "O_SYNC",
 * not "O_DSYNC|O_SYNC". */
static const struct {
	uint32_t bits;
	const char *name;
} open_flag_names[] = {
	{O_SYNC, "O_SYNC"},
	{O_TMPFILE, "O_TMPFILE"},
	{O_CREAT, "O_CREAT"},
	{O_EXCL, "O_EXCL"},
	{O_NOCTTY, "O_NOCTTY"},
	{O_TRUNC, "O_TRUNC"},
	{O_APPEND, "O_APPEND"},
	{O_NONBLOCK, "O_NONBLOCK"},
	{O_DSYNC, "O_DSYNC"},
	{FASYNC, "O_ASYNC"},
	{O_DIRECT, "O_DIRECT"},
	{O_LARGEFILE, "O_LARGEFILE"},
	{O_DIRECTORY, "O_DIRECTORY"},
	{O_NOFOLLOW, "O_NOFOLLOW"},
	{O_NOATIME, "O_NOATIME"},
	{O_CLOEXEC, "O_CLOEXEC"},
	{O_PATH, "O_PATH"},
};

void open_flags_format(struct strbuf *sb, uint32_t flags)
{
	static const char *const access_modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	uint32_t rest = flags & ~(uint32_t)O_ACCMODE;

	/* The access mode is a two-bit number, not a flag: O_RDONLY is 0. */
	sb_puts(sb, access_modes[flags & O_ACCMODE]);
	for (size_t i = 0; i < ARRAY_SIZE(open_flag_names); i++) {
		uint32_t bits = open_flag_names[i].bits;

		if ((rest & bits) != bits)
			continue;
		sb_putc(sb, '|');
		sb_puts(sb, open_flag_names[i].name);
		rest &= ~bits;
	}
	if (rest)
		sb_printf(sb, "|0x%x", rest);
}

/* File type bits of st_mode (the same on every Linux architecture). */
#define MODE_TYPE_MASK 0170000u

static char file_type_char(uint32_t mode)
{
	switch (mode & MODE_TYPE_MASK) {
	case 0100000u:
		return '-';
	case 0040000u:
		return 'd';
	case 0120000u:
		return 'l';
	case 0020000u:
		return 'c';
	case 0060000u:
		return 'b';
	case 0010000u:
		return 'p';
	case 0140000u:
		return 's';
	default:
		return '?';
	}
}

/* One rwx triplet; special set means setuid/setgid/sticky for this class,
 * shown in the x position, lower case when x is also set. */
static void put_triplet(char *out, uint32_t rwx, bool special, char special_char)
{
	out[0] = rwx & 4 ? 'r' : '-';
	out[1] = rwx & 2 ? 'w' : '-';
	if (special)
		out[2] = rwx & 1 ? special_char : (char)(special_char - 'a' + 'A');
	else
		out[2] = rwx & 1 ? 'x' : '-';
}

bool inode_mode_string(uint32_t mode, char out[INODE_MODE_STRING_SIZE])
{
	if (!mode) {
		out[0] = '\0';
		return false;
	}
	out[0] = file_type_char(mode);
	put_triplet(out + 1, mode >> 6 & 7, mode & 04000, 's');
	put_triplet(out + 4, mode >> 3 & 7, mode & 02000, 's');
	put_triplet(out + 7, mode & 7, mode & 01000, 't');
	out[10] = '\0';
	return true;
}
