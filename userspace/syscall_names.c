// SPDX-License-Identifier: GPL-2.0-only
/* Syscall names <-> numbers from the tables tools/gen_syscall_table.sh
 * generates at build time from the C library's headers. */
#include "syscall_names.h"

#include <string.h>

#include "util.h"

struct syscall_entry {
	const char *name;
	uint64_t nr;
};

#include "syscall_table.h"

#if defined(__x86_64__)
#define NATIVE_ABI "x64"
#define COMPAT_ABI "i386"
#elif defined(__aarch64__)
#define NATIVE_ABI "arm64"
#define COMPAT_ABI "arm32"
#else
#define NATIVE_ABI "native"
#define COMPAT_ABI "compat"
#endif

static const char *strip_sys_prefix(const char *name)
{
	return strncmp(name, "sys_", 4) ? name : name + 4;
}

bool syscall_number(const char *name, uint64_t *id)
{
	const char *bare = strip_sys_prefix(name);

	for (size_t i = 0; i < ARRAY_SIZE(native_syscalls); i++)
		if (!strcmp(native_syscalls[i].name, bare)) {
			*id = native_syscalls[i].nr;
			return true;
		}
	return false;
}

static const char *lookup(const struct syscall_entry *t, size_t n, uint64_t nr)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].name && t[i].nr == nr)
			return t[i].name;
	return NULL;
}

const char *syscall_name(uint64_t id, const char **abi)
{
	bool compat = id & SYSCALL64_COMPAT_BIT;
	uint64_t nr = id & ~SYSCALL64_COMPAT_BIT;

	if (abi)
		*abi = compat ? COMPAT_ABI : NATIVE_ABI;
	if (compat)
		return lookup(compat_syscalls, ARRAY_SIZE(compat_syscalls), nr);
	return lookup(native_syscalls, ARRAY_SIZE(native_syscalls), nr);
}

const char *syscall_native_abi(void)
{
	return NATIVE_ABI;
}

const char *syscall_name_at(size_t i)
{
	return i < ARRAY_SIZE(native_syscalls) ? native_syscalls[i].name : NULL;
}

size_t syscall_count(void)
{
	return ARRAY_SIZE(native_syscalls);
}
