// SPDX-License-Identifier: GPL-2.0-only
#include "feature_probe.h"

#include <errno.h>
#include <unistd.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "cgroup.h"
#include "probes.skel.h"

struct feature_desc {
	const char *name;
	const char *attempt;
	const char *use;
	int (*probe)(void);
	const char *remedy;
};

__attribute__((noinline, used)) void rtenf_uprobe_probe_target(void)
{
	__asm__ __volatile__("");
}

static int quiet_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

enum attach_how {
	ATTACH_AUTO,    /* the target is in the section name */
	ATTACH_NONE,    /* loading is the whole test */
	ATTACH_UPROBE,  /* our own binary */
	ATTACH_CGROUP,  /* the cgroup v2 root */
};

/* Loads (and attaches) one program of kernel/probes.bpf.c and nothing else. */
static int try_probe_prog(const char *name, enum attach_how how)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet_log);
	struct bpf_program *p, *target = NULL;
	struct bpf_link *link = NULL;
	struct probes_bpf *skel;
	int r, cg;

	skel = probes_bpf__open();
	if (!skel) {
		r = -errno;
		goto out_restore_log;
	}
	bpf_object__for_each_program(p, skel->obj) {
		bool me = !strcmp(bpf_program__name(p), name);

		bpf_program__set_autoload(p, me);
		if (me)
			target = p;
	}
	r = target ? probes_bpf__load(skel) : -ENOENT;
	if (r)
		goto out_destroy_skel;
	switch (how) {
	case ATTACH_AUTO:
		link = bpf_program__attach(target);
		break;
	case ATTACH_UPROBE: {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = RTENF_UPROBE_TARGET);

		link = bpf_program__attach_uprobe_opts(target, 0, "/proc/self/exe", 0, &uo);
		break;
	}
	case ATTACH_CGROUP:
		if (!cgroup2_root()) {
			r = -ENOENT;
			goto out_destroy_skel;
		}
		cg = open(cgroup2_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cg < 0) {
			r = -errno;
			goto out_destroy_skel;
		}
		link = bpf_program__attach_cgroup(target, cg);
		close(cg);
		break;
	case ATTACH_NONE:
		break;
	}
	if (how != ATTACH_NONE && !link)
		r = -errno ? -errno : -EINVAL;
	bpf_link__destroy(link);
out_destroy_skel:
	probes_bpf__destroy(skel);
out_restore_log:
	libbpf_set_print(old);
	return r;
}

static int probe_kprobe(void)
{
	return try_probe_prog("probe_kprobe", ATTACH_AUTO);
}

static int probe_kprobe_multi(void)
{
	return try_probe_prog("probe_kprobe_multi", ATTACH_AUTO);
}

static int probe_fentry(void)
{
	return try_probe_prog("probe_fentry", ATTACH_AUTO);
}

static int probe_fexit(void)
{
	return try_probe_prog("probe_fexit", ATTACH_AUTO);
}

static int probe_fmod_ret(void)
{
	return try_probe_prog("probe_fmod_ret", ATTACH_AUTO);
}

static int probe_lsm(void)
{
	return try_probe_prog("probe_lsm", ATTACH_AUTO);
}

static int probe_d_path(void)
{
	return try_probe_prog("probe_d_path", ATTACH_AUTO);
}

static int probe_override_return(void)
{
	return try_probe_prog("probe_override_return", ATTACH_NONE);
}

static int probe_uprobe(void)
{
	return try_probe_prog("probe_uprobe", ATTACH_UPROBE);
}

static int probe_cgroup_sock_addr(void)
{
	return try_probe_prog("probe_cgroup_connect4", ATTACH_CGROUP);
}

static int probe_cgroup_task_btf(void)
{
	return try_probe_prog("probe_cgroup_task_btf", ATTACH_NONE);
}

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

static int probe_raw_tp(void)
{
	return probe_prog(BPF_PROG_TYPE_RAW_TRACEPOINT);
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
				  "tracepoint hooks, and syscall hooks on every kernel", probe_tracepoint,
				  "CONFIG_BPF_EVENTS=y"},
	[FEAT_PROG_TP_BTF] = {"prog_tp_btf", "load a tp_btf program on sched_process_exec",
			      "the exec/fork/exit sensor (process table)", probe_tp_btf},
	[FEAT_HELPER_SEND_SIGNAL] = {"helper_send_signal", "bpf_send_signal from a tracepoint program",
				     "Sigkill and Signal actions", probe_send_signal, "Linux 5.3 or later"},
	[FEAT_HELPER_TASK_BTF] = {"helper_get_current_task_btf", "bpf_get_current_task_btf from a tracepoint program",
				  "namespace and pid filters", probe_task_btf},
	[FEAT_PROG_RAW_TP] = {"prog_raw_tp", "load a raw tracepoint program", "tracepoints with raw: true",
			      probe_raw_tp},
	[FEAT_KPROBE] = {"kprobe", "attach a kprobe to vfs_read", "kprobe hooks on kernel functions", probe_kprobe,
			 "CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y"},
	[FEAT_KPROBE_MULTI] = {"kprobe_multi", "attach a kprobe.multi link to vfs_read",
			       "kprobe hooks, one link for many functions (list: calls)", probe_kprobe_multi,
			       "CONFIG_FPROBE=y (Linux 5.18 or later)"},
	[FEAT_FENTRY] = {"fentry", "attach an fentry program to vfs_read",
			 "kprobe hooks through BPF trampolines, when kprobes are missing", probe_fentry,
			 "BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, not blocked by lockdown)"},
	[FEAT_FEXIT] = {"fexit", "attach an fexit program to vfs_read", "return values through BPF trampolines",
			probe_fexit, "BPF trampolines"},
	[FEAT_FMOD_RET] = {"fmod_ret", "attach fmod_ret to security_file_open",
			   "Override on security_* functions without BPF LSM", probe_fmod_ret,
			   "BPF trampolines and CONFIG_SECURITY"},
	[FEAT_LSM] = {"lsm", "attach a BPF LSM program to file_open", "lsmhooks, and Override by LSM verdict",
		      probe_lsm, "CONFIG_BPF_LSM=y, BPF trampolines and `bpf` in the lsm= boot list"},
	[FEAT_HELPER_D_PATH] = {"helper_d_path", "bpf_d_path from a sleepable LSM program",
				"kernel-resolved paths in LSM hooks", probe_d_path, "CONFIG_BPF_LSM=y"},
	[FEAT_HELPER_OVERRIDE_RETURN] = {"helper_override_return", "load a kprobe program calling bpf_override_return",
					 "Override on kprobes of error-injectable functions", probe_override_return,
					 "CONFIG_BPF_KPROBE_OVERRIDE=y and CONFIG_FUNCTION_ERROR_INJECTION=y"},
	[FEAT_UPROBE] = {"uprobe", "attach a uprobe to a function of the rtenf binary", "uprobe hooks", probe_uprobe,
			 "CONFIG_UPROBE_EVENTS=y"},
	[FEAT_CGROUP_SOCK_ADDR] = {"cgroup_sock_addr", "attach cgroup/connect4 to the cgroup v2 root",
				   "Override of connect, bind and sendmsg without LSM or trampolines",
				   probe_cgroup_sock_addr, "CONFIG_CGROUP_BPF=y and a mounted cgroup v2 hierarchy"},
	[FEAT_CGROUP_TASK_BTF] = {"cgroup_task_btf", "bpf_get_current_task_btf from a cgroup socket program",
				  "namespace and pid filters on cgroup socket overrides", probe_cgroup_task_btf},
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

const char *feature_remedy(enum feature f)
{
	return features[f].remedy;
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

bool feature_needs_privilege(enum feature f)
{
	return f != FEAT_BTF; /* the only probe that reads a file */
}
