// SPDX-License-Identifier: GPL-2.0-only
#include "feature_probe.h"

#include <errno.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

struct feature_desc {
	const char *name;
	const char *attempt;
	const char *use;
	int (*probe)(void);
};

static int probe_btf(void)
{
	return access("/sys/kernel/btf/vmlinux", R_OK) ? -errno : 0;
}

static int probe_map(enum bpf_map_type t)
{
	int r = libbpf_probe_bpf_map_type(t, NULL);

	return r == 1 ? 0 : r == 0 ? -EOPNOTSUPP : r;
}

static int probe_ringbuf(void)
{
	return probe_map(BPF_MAP_TYPE_RINGBUF);
}

static int probe_lpm(void)
{
	return probe_map(BPF_MAP_TYPE_LPM_TRIE);
}

static int probe_prog(enum bpf_prog_type t)
{
	int r = libbpf_probe_bpf_prog_type(t, NULL);

	return r == 1 ? 0 : r == 0 ? -EOPNOTSUPP : r;
}

static int probe_tracepoint(void)
{
	return probe_prog(BPF_PROG_TYPE_TRACEPOINT);
}

/* libbpf's generic probe cannot try a BTF-attached program; load one for
 * real against sched_process_exec. */
static int probe_tp_btf(void)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	int id, fd;

	id = libbpf_find_vmlinux_btf_id("sched_process_exec", BPF_TRACE_RAW_TP);
	if (id < 0)
		return id;
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "rtenf_probe", "GPL", insns, 2, &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int probe_helper(enum bpf_prog_type t, enum bpf_func_id h)
{
	int r = libbpf_probe_bpf_helper(t, h, NULL);

	return r == 1 ? 0 : r == 0 ? -EOPNOTSUPP : r;
}

static int probe_send_signal(void)
{
	return probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_send_signal);
}

static int probe_task_btf(void)
{
	return probe_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_current_task_btf);
}

static const struct feature_desc features[FEAT_COUNT] = {
	[FEAT_BTF] = {"btf", "read /sys/kernel/btf/vmlinux", "CO-RE: one object for every kernel layout", probe_btf},
	[FEAT_RINGBUF] = {"ringbuf", "create a BPF ring buffer", "the event stream from kernel to agent", probe_ringbuf},
	[FEAT_LPM_TRIE] = {"lpm_trie", "create an LPM trie map", "Prefix and Postfix filters", probe_lpm},
	[FEAT_PROG_TRACEPOINT] = {"prog_tracepoint", "load a tracepoint program",
				  "tracepoint hooks, and syscall hooks on every kernel", probe_tracepoint},
	[FEAT_PROG_TP_BTF] = {"prog_tp_btf", "load a tp_btf program on sched_process_exec",
			      "the exec/fork/exit sensor (process table)", probe_tp_btf},
	[FEAT_HELPER_SEND_SIGNAL] = {"helper_send_signal", "bpf_send_signal from a tracepoint program",
				     "Sigkill and Signal actions", probe_send_signal},
	[FEAT_HELPER_TASK_BTF] = {"helper_get_current_task_btf", "bpf_get_current_task_btf from a tracepoint program",
				  "namespace and pid filters", probe_task_btf},
};

static struct feature_result results[FEAT_COUNT];
static bool probed[FEAT_COUNT];

const char *feature_name(enum feature f)
{
	return features[f].name;
}

const char *feature_attempt(enum feature f)
{
	return features[f].attempt;
}

const char *feature_use(enum feature f)
{
	return features[f].use;
}

const struct feature_result *feature_probe(enum feature f)
{
	if (!probed[f]) {
		int r = features[f].probe();

		results[f].supported = r == 0;
		results[f].err = r;
		probed[f] = true;
	}
	return &results[f];
}

bool feature_has(enum feature f)
{
	return feature_probe(f)->supported;
}
