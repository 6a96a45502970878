// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf-fakeminer: a stand-in for a cryptominer in `make bench`, copied to
 * a file named like a real miner.  No libc and no dynamic loader, so
 * nothing runs before _start: its first instructions write one byte to
 * fd 3, then it exits.  If the byte is there, the process ran code of its
 * own after execve; a policy that kills it in execve leaves fd 3 empty.
 */
#include <sys/syscall.h>

static long sys3(long nr, long a, long b, long c)
{
	long ret;

#if defined(__x86_64__)
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	ret = x0;
#else
#error "rtenf-fakeminer: add the syscall instruction of this architecture"
#endif
	return ret;
}

void _start(void)
{
	static const char marker = 'M';

	sys3(SYS_write, 3, (long)&marker, 1);
	sys3(SYS_exit_group, 0, 0, 0);
	for (;;)
		;
}
