// SPDX-License-Identifier: GPL-2.0-only
/*
 * seed_gen EVENTDIR RECORDDIR: seed corpora that need C to make.
 *   EVENTDIR   fuzz_event: the sample events (fuzz_samples.c: every kind,
 *              every argument kind), encoded
 *   RECORDDIR  fuzz_record: ring buffer records as the BPF programs write
 *              them (kernel/rtenf_events.h): exec, clone, exit, cgroup,
 *              and hook records of every family with every argument type
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"
#include "fuzz_samples.h"
#include "rtenf_events.h"
#include "rtenf_policy.h"
#include "util.h"

static int write_file(const char *dir, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

static int event_seeds(const char *dir)
{
	size_t n;
	const rtenf_Event *ev = fuzz_sample_events(&n);

	for (size_t i = 0; i < n; i++) {
		char name[32];
		uint8_t *buf;
		size_t len;

		if (event_encode(&ev[i], &buf, &len)) {
			fprintf(stderr, "seed_gen: event %zu does not encode\n", i);
			return -1;
		}
		snprintf(name, sizeof(name), "event-%zu.bin", i);
		if (write_file(dir, name, buf, len))
			return -1;
		free(buf);
	}
	printf("fuzz seeds: %zu events\n", n);
	return 0;
}

/* --- records: a fuzz_record input is records, each after its u16 length */

struct stream {
	struct strbuf sb;
};

static void put_record(struct stream *st, const void *rec, size_t len)
{
	uint8_t hdr[2] = {(uint8_t)len, (uint8_t)(len >> 8)};

	sb_append(&st->sb, (const char *)hdr, 2);
	sb_append(&st->sb, rec, len);
}

static const struct rtenf_msg_task task = {
    .tgid = 4242, .tid = 4242, .exec_id = 1000, .cgroup_id = 2, .uid = 1000, .euid = 1000};

#define CONTAINER_CGROUP "/system.slice/docker-" CONTAINER_HEX CONTAINER_HEX ".scope"
#define CONTAINER_HEX "0123456789abcdef0123456789abcdef"

static void exec_record(struct stream *st)
{
	static const char path[] = "/usr/bin/cat", args[] = "/etc/passwd\0-n", cwd[] = "/root";
	struct strbuf r = {0};
	struct rtenf_msg_exec m = {0};

	m.hdr.op = RTENF_OP_EXEC;
	m.hdr.ktime = 1000;
	m.task = task;
	m.parent_exec_id = 1;
	m.ppid = 1;
	m.cap_effective = 0x1ff;
	for (int i = 0; i < RTENF_NS_COUNT; i++)
		m.ns[i] = 0xf0000000u + (unsigned)i;
	m.ns_pid = 4242;
	m.path_len = sizeof(path) - 1;
	m.args_len = sizeof(args) - 1;
	m.cwd_len = sizeof(cwd) - 1;
	m.hdr.size = (__u32)(sizeof(m) + m.path_len + m.args_len + m.cwd_len);
	sb_append(&r, (const char *)&m, sizeof(m));
	sb_append(&r, path, m.path_len);
	sb_append(&r, args, m.args_len);
	sb_append(&r, cwd, m.cwd_len);
	put_record(st, r.buf, r.len);
	sb_free(&r);
}

static void clone_record(struct stream *st)
{
	struct rtenf_msg_clone m = {.hdr = {.op = RTENF_OP_CLONE, .size = sizeof(m), .ktime = 1500}, .task = task};

	m.task.tgid = m.task.tid = 4243;
	m.task.exec_id = 1500;
	m.parent_exec_id = 1000;
	m.ppid = 4242;
	put_record(st, &m, sizeof(m));
}

static void exit_record(struct stream *st)
{
	struct rtenf_msg_exit m = {
	    .hdr = {.op = RTENF_OP_EXIT, .size = sizeof(m), .ktime = 3000}, .task = task, .code = 9};

	put_record(st, &m, sizeof(m));
}

/* a cgroup made (or removed) under the root: id 1, level 0, empty path */
static void cgroup_record(struct stream *st, unsigned op, uint64_t id, uint32_t level, const char *path)
{
	struct rtenf_msg_cgroup m = {.hdr = {.op = (__u8)op, .ktime = 1200}, .id = id, .parent_id = level ? 1 : 0};
	struct strbuf r = {0};

	m.level = level;
	m.path_len = (__u32)strlen(path);
	m.hdr.size = (__u32)(sizeof(m) + m.path_len);
	sb_append(&r, (const char *)&m, sizeof(m));
	sb_append(&r, path, m.path_len);
	put_record(st, r.buf, r.len);
	sb_free(&r);
}

static void put_arg(struct strbuf *r, unsigned type, const void *data, size_t len)
{
	struct rtenf_msg_arg a = {.type = (__u8)type, .len = (__u16)len};

	sb_append(r, (const char *)&a, sizeof(a));
	sb_append(r, data, len);
}

static void file_arg(struct strbuf *r, unsigned type, const char *path)
{
	struct strbuf d = {0};
	struct rtenf_arg_file f = {.mode = 0100644, .flags = 0};

	sb_append(&d, (const char *)&f, sizeof(f));
	sb_puts(&d, path);
	put_arg(r, type, d.buf, d.len);
	sb_free(&d);
}

/* A hook record of policy FUZZ_RECORD_POLICY_ID; args: 0 the two the policy
 * emits, 1 one of every type. */
static void hook_record(struct stream *st, unsigned op, unsigned hook, int every_type)
{
	struct rtenf_msg_hook m = {0};
	struct strbuf r = {0};
	int64_t i64 = -2; /* integers travel as 8 bytes */
	uint64_t u64 = 0x10000000;
	struct rtenf_arg_sock sk = {.family = 2,
				    .type = 1,
				    .protocol = 6,
				    .sport = 1234,
				    .dport = 443,
				    .saddr = {127, 0, 0, 1},
				    .daddr = {10, 0, 0, 1}};
	struct rtenf_arg_sockaddr sa = {.family = 10, .port = 80, .addr = {0xfe, 0x80, [15] = 1}};
	struct rtenf_arg_cred cr = {.uid = 1000, .euid = 0, .cap_effective = 0x1ff};
	struct rtenf_arg_skb skb = {.family = 2,
				    .protocol = 17,
				    .sport = 40000,
				    .dport = 53,
				    .len = 29,
				    .saddr = {127, 0, 0, 1},
				    .daddr = {127, 0, 0, 53}};

	m.hdr.op = (__u8)op;
	m.hdr.flags = RTENF_HOOK_F_AUDIT;
	m.hdr.ktime = 2000;
	m.task = task;
	m.policy_id = FUZZ_RECORD_POLICY_ID;
	m.hook_id = (__u16)hook;
	m.actions = 1;
	sb_append(&r, (const char *)&m, sizeof(m));
	if (!every_type) {
		put_arg(&r, RTENF_ARG_STRING, "/etc/shadow", 11);
		put_arg(&r, RTENF_ARG_INT, &i64, 8);
		m.nargs = 2;
	} else {
		put_arg(&r, RTENF_ARG_INT, &i64, 8);
		put_arg(&r, RTENF_ARG_UINT32, &i64, 8);
		put_arg(&r, RTENF_ARG_INT64, &u64, 8);
		put_arg(&r, RTENF_ARG_UINT64, &u64, 8);
		put_arg(&r, RTENF_ARG_SIZE_T, &u64, 8);
		put_arg(&r, RTENF_ARG_STRING, "odd", 3); /* leaves the next one unaligned */
		put_arg(&r, RTENF_ARG_CHAR_BUF, "\0\1\2\xff", 4);
		file_arg(&r, RTENF_ARG_FD, "/dev/null");
		file_arg(&r, RTENF_ARG_FILE, "/etc/passwd");
		file_arg(&r, RTENF_ARG_PATH, "/tmp/x");
		file_arg(&r, RTENF_ARG_FILENAME, "/bin/sh");
		file_arg(&r, RTENF_ARG_LINUX_BINPRM, "/usr/bin/env");
		put_arg(&r, RTENF_ARG_SOCK, &sk, sizeof(sk));
		put_arg(&r, RTENF_ARG_SOCKADDR, &sa, sizeof(sa));
		put_arg(&r, RTENF_ARG_CRED, &cr, sizeof(cr));
		put_arg(&r, RTENF_ARG_CAPS, &u64, 8);
		put_arg(&r, RTENF_ARG_SKB, &skb, sizeof(skb));
		m.nargs = 17;
	}
	m.hdr.size = (__u32)r.len;
	memcpy(r.buf, &m, sizeof(m));
	put_record(st, r.buf, r.len);
	sb_free(&r);
}

static int record_seeds(const char *dir)
{
	static const unsigned ops[] = {RTENF_OP_TRACEPOINT, RTENF_OP_KPROBE, RTENF_OP_LSM, RTENF_OP_UPROBE,
				       RTENF_OP_CGROUP_SOCK};
	struct stream st = {0};
	int n = 0;

#define SEED(name, ...)                                                                                                \
	do {                                                                                                           \
		sb_reset(&st.sb);                                                                                      \
		__VA_ARGS__;                                                                                           \
		if (write_file(dir, name, st.sb.buf, st.sb.len))                                                       \
			return -1;                                                                                     \
		n++;                                                                                                   \
	} while (0)

	SEED("exec.bin", exec_record(&st));
	SEED("clone.bin", clone_record(&st));
	SEED("exit.bin", exit_record(&st));
	SEED("life.bin", exec_record(&st); clone_record(&st); hook_record(&st, RTENF_OP_TRACEPOINT, 0, 0);
	     exit_record(&st));
	/* the task's cgroup 2 is a docker container: exec and hook events name it */
	SEED("cgroup.bin", cgroup_record(&st, RTENF_OP_CGROUP_MKDIR, 1, 0, "");
	     cgroup_record(&st, RTENF_OP_CGROUP_MKDIR, 2, 2, CONTAINER_CGROUP); exec_record(&st);
	     hook_record(&st, RTENF_OP_TRACEPOINT, 0, 0);
	     cgroup_record(&st, RTENF_OP_CGROUP_RMDIR, 2, 2, CONTAINER_CGROUP));
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		char name[32];

		snprintf(name, sizeof(name), "hook-%u.bin", ops[i]);
		SEED(name, hook_record(&st, ops[i], i % 2, 0));
		snprintf(name, sizeof(name), "hook-%u-all.bin", ops[i]);
		SEED(name, hook_record(&st, ops[i], 1, 1));
	}
#undef SEED
	sb_free(&st.sb);
	printf("fuzz seeds: %d record streams\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: seed_gen EVENTDIR RECORDDIR\n");
		return 2;
	}
	return event_seeds(argv[1]) || record_seeds(argv[2]) ? 1 : 0;
}
