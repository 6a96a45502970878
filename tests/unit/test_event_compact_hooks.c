// SPDX-License-Identifier: GPL-2.0-only
/* Compact lines of process_kprobe, process_lsm, process_uprobe and of the
 * new argument kinds, as users read them in a terminal. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compact_expect.h"
#include "event_fixtures.h"
#include "event_format.h"

#define AUDIT   rtenf_PolicyMode_POLICY_MODE_AUDIT
#define ENFORCE rtenf_PolicyMode_POLICY_MODE_ENFORCE
#define UNSET   rtenf_PolicyMode_POLICY_MODE_UNSET
#define POST     rtenf_KprobeAction_KPROBE_ACTION_POST
#define SIGKILL  rtenf_KprobeAction_KPROBE_ACTION_SIGKILL
#define OVERRIDE rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE
#define NO_ACTION rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN

static rtenf_Process *proc(const char *binary)
{
	return fx_process_simple(binary, NULL, 100);
}

static void int_arg(rtenf_Event *ev, int32_t v)
{
	rtenf_KprobeArgument *a = fx_arg(ev, NULL);

	a->which_arg = rtenf_KprobeArgument_int_arg_tag;
	a->arg.int_arg = v;
}

Test(compact_kprobe, file_open_override_audited)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/cat"), "security_file_open", "deny-shadow", OVERRIDE, AUDIT, false);
	ev.event.process_kprobe.error = 1; /* positive errno, as the agent sends it */
	fx_arg_file(&ev, NULL, "/etc/shadow", "O_RDONLY", "-rw-r-----");
	expect_compact(&ev, "📬 open    vm /usr/bin/cat /etc/shadow [deny-shadow] OVERRIDE -EPERM (audit)\n");
}

Test(compact_kprobe, openat_by_its_syscall_wrapper)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/cat"), "__x64_sys_openat", "deny", OVERRIDE, ENFORCE, true);
	ev.event.process_kprobe.error = 13;
	int_arg(&ev, -100);
	fx_arg_string(&ev, "path", "/etc/shadow");
	expect_compact(&ev, "📬 openat  vm /usr/bin/cat /etc/shadow [deny] OVERRIDE -EACCES\n");

	fx_kprobe(&ev, proc("/usr/bin/cat"), "__arm64_sys_openat", NULL, POST, UNSET, false);
	fx_arg_string(&ev, NULL, "/etc/hostname");
	expect_compact(&ev, "📬 openat  vm /usr/bin/cat /etc/hostname\n");
}

Test(compact_kprobe, fd_install_shows_the_file)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/cat"), "fd_install", "files", POST, ENFORCE, false);
	int_arg(&ev, 3);
	fx_arg_file(&ev, NULL, "/etc/passwd", NULL, NULL);
	expect_compact(&ev, "📬 open    vm /usr/bin/cat /etc/passwd [files]\n");
}

Test(compact_kprobe, read_write_with_byte_counts)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/tee"), "__x64_sys_write", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/etc/hosts", NULL, NULL);
	fx_arg_bytes(&ev, NULL, "127.0.0.1 a\n", 12);
	fx_arg_size(&ev, NULL, 12);
	expect_compact(&ev, "📝 write   vm /usr/bin/tee /etc/hosts 12 bytes\n");

	fx_kprobe(&ev, proc("/usr/bin/cat"), "sys_read", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/etc/hosts", NULL, NULL);
	fx_arg_size(&ev, NULL, 4096);
	expect_compact(&ev, "📚 read    vm /usr/bin/cat /etc/hosts 4096 bytes\n");

	fx_kprobe(&ev, proc("/usr/bin/cat"), "__x64_sys_close", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/etc/hosts", NULL, NULL);
	expect_compact(&ev, "📪 close   vm /usr/bin/cat /etc/hosts\n");
}

Test(compact_kprobe, file_permission_by_mask)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/cat"), "security_file_permission", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/etc/passwd", NULL, NULL);
	int_arg(&ev, 0x4);
	expect_compact(&ev, "📚 read    vm /usr/bin/cat /etc/passwd\n");

	fx_kprobe(&ev, proc("/usr/bin/tee"), "security_file_permission", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/etc/passwd", NULL, NULL);
	int_arg(&ev, 0x2 | 0x20); /* MAY_WRITE | MAY_OPEN */
	expect_compact(&ev, "📝 write   vm /usr/bin/tee /etc/passwd\n");

	/* Neither: an ordinary kprobe line. */
	fx_kprobe(&ev, proc("/bin/sh"), "security_file_permission", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/bin/ls", NULL, NULL);
	int_arg(&ev, 0x1);
	expect_compact(&ev, "❓ syscall vm /bin/sh security_file_permission /bin/ls 1\n");
}

Test(compact_kprobe, mount_setuid_truncate)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/mount"), "__x64_sys_mount", NULL, POST, UNSET, false);
	fx_arg_string(&ev, NULL, "/dev/sda1");
	fx_arg_string(&ev, NULL, "/mnt");
	fx_arg_string(&ev, NULL, "ext4");
	expect_compact(&ev, "💾 mount   vm /usr/bin/mount /dev/sda1 /mnt\n");

	fx_kprobe(&ev, proc("/usr/bin/su"), "__x64_sys_setuid", "no-root", SIGKILL, ENFORCE, false);
	int_arg(&ev, 0);
	expect_compact(&ev, "🔑 setuid  vm /usr/bin/su 0 [no-root] SIGKILL (failed)\n");

	fx_kprobe(&ev, proc("/usr/bin/truncate"), "security_path_truncate", NULL, POST, UNSET, false);
	fx_arg_path(&ev, NULL, NULL, "/var/log/auth.log", NULL, NULL);
	expect_compact(&ev, "📝 truncate vm /usr/bin/truncate /var/log/auth.log\n");
}

Test(compact_kprobe, connections_like_tetragon)
{
	rtenf_Event ev;
	rtenf_KprobeSock *s;

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_connect", "net-watch", POST, AUDIT, false);
	s = fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_TCP", "10.0.0.1", 43122, "1.1.1.1", 443);
	s->state = fx_strdup("TCP_SYN_SENT");
	expect_compact(&ev, "🔌 connect vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443 [net-watch]\n");

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_connect", "no-egress", SIGKILL, ENFORCE, true);
	fx_arg_sock(&ev, NULL, "AF_INET6", "IPPROTO_TCP", "2001:db8::2", 5000, "2001:db8::1", 443);
	expect_compact(&ev, "🔌 connect vm /usr/bin/curl tcp [2001:db8::2]:5000 -> [2001:db8::1]:443 [no-egress] "
			    "SIGKILL\n");

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_close", NULL, POST, UNSET, false);
	fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_TCP", "10.0.0.1", 43122, "1.1.1.1", 443);
	expect_compact(&ev, "🧹 close   vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443\n");

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_sendmsg", NULL, POST, UNSET, false);
	fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_TCP", "10.0.0.1", 43122, "1.1.1.1", 443);
	int_arg(&ev, 517);
	expect_compact(&ev, "📤 sendmsg vm /usr/bin/curl tcp 10.0.0.1:43122 -> 1.1.1.1:443 bytes 517\n");
}

/* security_socket_connect sees the address before the socket has it. */
Test(compact_kprobe, connect_to_a_sockaddr)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/nc"), "security_socket_connect", "no-dns", OVERRIDE, ENFORCE, true);
	ev.event.process_kprobe.error = 111;
	fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_UDP", NULL, 0, NULL, 0);
	fx_arg_sockaddr(&ev, NULL, "AF_INET", "8.8.8.8", 53);
	int_arg(&ev, 16);
	expect_compact(&ev, "🔌 connect vm /usr/bin/nc udp -> 8.8.8.8:53 [no-dns] OVERRIDE -ECONNREFUSED\n");

	fx_kprobe(&ev, proc("/usr/bin/nc"), "security_socket_connect", NULL, POST, UNSET, false);
	fx_arg_sockaddr(&ev, NULL, "AF_UNIX", "/run/docker.sock", 0);
	expect_compact(&ev, "🔌 connect vm /usr/bin/nc -> /run/docker.sock\n");
}

/* A well-known function whose policy captured other arguments still
 * shows them rather than nothing. */
Test(compact_kprobe, well_known_without_its_argument)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_connect", NULL, POST, UNSET, false);
	int_arg(&ev, 5);
	expect_compact(&ev, "🔌 connect vm /usr/bin/curl 5\n");

	fx_kprobe(&ev, proc("/usr/bin/curl"), "tcp_connect", NULL, POST, UNSET, false);
	expect_compact(&ev, "🔌 connect vm /usr/bin/curl\n");
}

Test(compact_kprobe, other_functions_are_syscall_lines)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/bin/sh"), "security_bprm_check", "no-tmp-exec", OVERRIDE, ENFORCE, true);
	ev.event.process_kprobe.error = -1; /* either sign reads as the override's -EPERM */
	fx_arg_binprm(&ev, NULL, "/tmp/evil", NULL, "-rwxrwxrwx");
	expect_compact(&ev, "🚫 syscall vm /bin/sh security_bprm_check /tmp/evil [no-tmp-exec] OVERRIDE -EPERM\n");

	fx_kprobe(&ev, proc("/bin/sh"), "commit_creds", "creds", SIGKILL, AUDIT, false);
	expect_compact(&ev, "☠️  syscall vm /bin/sh commit_creds [creds] SIGKILL (audit)\n");

	fx_kprobe(&ev, proc("/bin/sh"), "__x64_sys_unshare", NULL, NO_ACTION, UNSET, false);
	fx_arg_size(&ev, "flags", 0x10000000);
	expect_compact(&ev, "❓ syscall vm /bin/sh __x64_sys_unshare flags=0x10000000\n");

	/* data entries after the arguments, marked as such */
	fx_kprobe(&ev, proc("/bin/sh"), "__x64_sys_getppid", NULL, NO_ACTION, UNSET, false);
	fx_arg_size(&ev, "n", 1);
	fx_data(&ev, "uid")->which_arg = rtenf_KprobeArgument_int_arg_tag;
	ev.event.process_kprobe.data[0].arg.int_arg = 65534;
	fx_data(&ev, NULL)->which_arg = rtenf_KprobeArgument_string_arg_tag;
	ev.event.process_kprobe.data[1].arg.string_arg = fx_strdup("sh");
	expect_compact(&ev, "❓ syscall vm /bin/sh __x64_sys_getppid n=0x1 data uid=65534 sh\n");

	/* Only a prefix before "sys_" is an arch wrapper. */
	fx_kprobe(&ev, proc("/bin/sh"), "sys_writev", NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "❓ syscall vm /bin/sh sys_writev\n");
	fx_kprobe(&ev, proc("/bin/sh"), "__fd_install", NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "❓ syscall vm /bin/sh __fd_install\n");
}

Test(compact_kprobe, override_errno_edges)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/bin/sh"), "f", "p", OVERRIDE, ENFORCE, true);
	ev.event.process_kprobe.error = 4000; /* no name */
	expect_compact(&ev, "🚫 syscall vm /bin/sh f [p] OVERRIDE -4000\n");
	fx_kprobe(&ev, proc("/bin/sh"), "f", "p", OVERRIDE, ENFORCE, true);
	ev.event.process_kprobe.error = INT32_MIN;
	expect_compact(&ev, "🚫 syscall vm /bin/sh f [p] OVERRIDE -2147483648\n");
	fx_kprobe(&ev, proc("/bin/sh"), "f", "p", OVERRIDE, ENFORCE, true);
	expect_compact(&ev, "🚫 syscall vm /bin/sh f [p] OVERRIDE\n");
}

Test(compact_lsm, file_open_with_the_path)
{
	rtenf_Event ev;

	fx_lsm(&ev, proc("/usr/bin/cat"), "file_open", "block-passwd", OVERRIDE, AUDIT, false);
	ev.event.process_lsm.error = 13;
	fx_arg_file(&ev, NULL, "/etc/passwd", NULL, "-rw-r--r--");
	expect_compact(&ev, "🔒 LSM     vm /usr/bin/cat file_open /etc/passwd [block-passwd] OVERRIDE -EACCES (audit)\n");
}

Test(compact_lsm, labels_and_signals)
{
	rtenf_Event ev;

	fx_lsm(&ev, proc("/bin/sh"), "bprm_check_security", "warn", rtenf_KprobeAction_KPROBE_ACTION_SIGNAL, ENFORCE,
	       true);
	ev.event.process_lsm.signal = 10;
	fx_arg_binprm(&ev, "bprm", "/tmp/x", NULL, NULL);
	expect_compact(&ev, "🔒 LSM     vm /bin/sh bprm_check_security bprm=/tmp/x [warn] SIGUSR1\n");

	fx_lsm(&ev, NULL, "task_kill", NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "🔒 LSM     vm task_kill\n");
}

Test(compact_uprobe, path_symbol_arguments)
{
	rtenf_Event ev;

	fx_uprobe(&ev, proc("/usr/bin/bash"), "/usr/bin/bash", "readline", "watch-readline", POST, AUDIT, false);
	fx_arg_string(&ev, "line", "ls");
	expect_compact(&ev, "🕵️  uprobe  vm /usr/bin/bash /usr/bin/bash readline line=ls [watch-readline]\n");

	fx_uprobe(&ev, proc("/usr/bin/python3"), "/lib/libc.so.6", "system", "no-system", SIGKILL, AUDIT, false);
	expect_compact(&ev, "🕵️  uprobe  vm /usr/bin/python3 /lib/libc.so.6 system [no-system] SIGKILL (audit)\n");

	fx_uprobe(&ev, proc("/usr/bin/python3"), "/lib/libc.so.6", NULL, NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "🕵️  uprobe  vm /usr/bin/python3 /lib/libc.so.6\n");
}

Test(compact_args, every_new_kind)
{
	rtenf_Event ev;
	rtenf_KprobeCred *c;
	rtenf_KprobeArgument *a;

	fx_kprobe(&ev, proc("/bin/sh"), "f", NULL, NO_ACTION, UNSET, false);
	fx_arg_path(&ev, NULL, "/mnt", "/mnt/dir", NULL, "drwxr-xr-x");
	fx_arg_binprm(&ev, "bprm", "/usr/bin/sudo", NULL, NULL);
	fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_TCP", "10.0.0.1", 43122, "1.1.1.1", 443);
	fx_arg_sock(&ev, "listen", "AF_INET", "IPPROTO_TCP", "0.0.0.0", 80, NULL, 0);
	fx_arg_sock(&ev, NULL, "AF_INET", NULL, NULL, 0, "1.1.1.1", 80);
	fx_arg_sockaddr(&ev, "to", "AF_INET", "1.1.1.1", 443);
	fx_arg_sockaddr(&ev, NULL, "AF_INET6", "2001:db8::1", 0);
	fx_arg_sockaddr(&ev, NULL, "AF_UNIX", "/run/x.sock", 0);
	c = fx_arg_cred(&ev, "cred");
	c->uid = 1000;
	c->gid = 1001;
	c->egid = 2;
	c->has_caps = true;
	c->caps.effective = 1ull << 0 | 1ull << 21;
	fx_arg_cred(&ev, NULL);
	fx_arg_caps(&ev, "caps", rtenf_KprobeArgument_cap_effective_arg_tag, 1ull << 0 | 1ull << 21 | 1ull << 45);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_kernel_cap_t_arg_tag, 0);
	fx_arg_file(&ev, NULL, "/very/lo", NULL, NULL);
	a = &ev.event.process_kprobe.args[ev.event.process_kprobe.args_count - 1];
	a->truncated = true;
	expect_compact(&ev, "❓ syscall vm /bin/sh f /mnt/dir bprm=/usr/bin/sudo tcp 10.0.0.1:43122 -> 1.1.1.1:443 "
			    "listen=tcp 0.0.0.0:80 -> 1.1.1.1:80 to=1.1.1.1:443 [2001:db8::1]:0 /run/x.sock "
			    "cred={uid=1000 gid=1001 euid=0 egid=2 caps=CAP_CHOWN,CAP_SYS_ADMIN} "
			    "{uid=0 gid=0 euid=0 egid=0} caps=CAP_CHOWN,CAP_SYS_ADMIN,45 0 /very/lo...\n");
}

/* A packet reads like a connection, with its length; ports only where
 * the protocol has them. */
Test(compact_args, skb_like_a_connection)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/usr/bin/dig"), "ip_output", NULL, NO_ACTION, UNSET, false);
	fx_arg_skb(&ev, NULL, "AF_INET", "IPPROTO_UDP", "127.0.0.1", 40000, "127.0.0.53", 53)->len = 29;
	fx_arg_skb(&ev, "pkt", "AF_INET6", "IPPROTO_TCP", "::1", 443, "::1", 50000)->len = 60;
	fx_arg_skb(&ev, NULL, "AF_INET6", "IPPROTO_ICMPV6", "::1", 0, "ff02::1", 0)->len = 64;
	fx_arg_skb(&ev, NULL, NULL, NULL, NULL, 0, NULL, 0)->len = 42;
	ev.event.process_kprobe.args[0].arg.skb_arg.mark = 0x100;
	expect_compact(&ev, "❓ syscall vm /usr/bin/dig ip_output udp 127.0.0.1:40000 -> 127.0.0.53:53 len=29 mark=0x100 "
			    "pkt=tcp [::1]:443 -> [::1]:50000 len=60 icmpv6 [::1] -> [ff02::1] len=64 len=42\n");
}

Test(compact_args, capability_mask_kinds)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/bin/sh"), "cap_capable", NULL, NO_ACTION, UNSET, false);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_kernel_cap_t_arg_tag, 1ull << 21);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_inheritable_arg_tag, 1ull << 7);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_permitted_arg_tag, 1ull << 12);
	fx_arg_caps(&ev, NULL, rtenf_KprobeArgument_cap_effective_arg_tag, 1ull << 40);
	expect_compact(&ev, "❓ syscall vm /bin/sh cap_capable CAP_SYS_ADMIN CAP_SETUID CAP_NET_ADMIN "
			    "CAP_CHECKPOINT_RESTORE\n");
}

/* The process chooses paths and socket text: none of it reaches the
 * terminal raw, and a sock's protocol cannot smuggle escapes either. */
Test(compact_args, hostile_text_escaped)
{
	rtenf_Event ev;

	fx_kprobe(&ev, proc("/bin/sh"), "security_file_open", NULL, POST, UNSET, false);
	fx_arg_file(&ev, NULL, "/tmp/\x1b[2Jx\n", NULL, NULL);
	expect_compact(&ev, "📬 open    vm /bin/sh /tmp/\\x1b[2Jx\\x0a\n");

	fx_kprobe(&ev, proc("/bin/sh"), "tcp_connect", NULL, POST, UNSET, false);
	fx_arg_sock(&ev, NULL, "AF_INET", "IPPROTO_\x1b[31m", "1.2.3.4\x07", 1, "\xe2\x80\xae" "5.6.7.8", 2);
	expect_compact(&ev, "🔌 connect vm /bin/sh \\x1b\\x5b31m 1.2.3.4\\x07:1 -> \\u202e5.6.7.8:2\n");

	fx_lsm(&ev, proc("/bin/sh"), "file_open\x1b", NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "🔒 LSM     vm /bin/sh file_open\\x1b\n");

	fx_uprobe(&ev, proc("/bin/sh"), "/lib/\x9b", "sym\r", NULL, NO_ACTION, UNSET, false);
	expect_compact(&ev, "🕵️  uprobe  vm /bin/sh /lib/\\x9b sym\\x0d\n");
}

Test(compact_kprobe, colors_like_tetragon)
{
	rtenf_Event ev;
	char *got;

	fx_kprobe(&ev, proc("/usr/bin/cat"), "security_file_open", "deny-shadow", OVERRIDE, AUDIT, false);
	ev.event.process_kprobe.error = 1;
	fx_arg_file(&ev, NULL, "/etc/shadow", NULL, NULL);
	got = event_to_compact(&ev, true);
	cr_assert_str_eq(got, "\x1b[34m📬 open   \x1b[0m \x1b[32mvm\x1b[0m \x1b[35m/usr/bin/cat\x1b[0m "
			      "\x1b[36m/etc/shadow\x1b[0m [deny-shadow] \x1b[31mOVERRIDE -EPERM\x1b[0m (audit)\n");
	free(got);
	fx_release(&ev);
}
