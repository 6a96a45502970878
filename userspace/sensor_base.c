// SPDX-License-Identifier: GPL-2.0-only
#include "sensor_base.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "base.skel.h"
#include "bpf_setup.h"
#include "feature_probe.h"
#include "log.h"

static int read_host_ns(struct base_bpf *skel, __u32 out[RTENF_NS_COUNT])
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	__u64 args[1] = {0};
	int r;

	opts.ctx_in = args;
	opts.ctx_size_in = sizeof(args);
	r = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.rtenf_host_ns), &opts);
	if (r)
		return -errno;
	if (opts.retval)
		return -ESRCH;
	memcpy(out, skel->bss->host_ns_inum, sizeof(skel->bss->host_ns_inum));
	return 0;
}

int base_sensor_start(struct base_sensor *bs, const struct base_sensor_opts *o, char *err, size_t errlen)
{
	struct base_bpf *skel;
	int r;

	memset(bs, 0, sizeof(*bs));
	if (!feature_has(FEAT_PROG_TP_BTF)) {
		snprintf(err, errlen,
			 "this kernel cannot load tp_btf programs (%s); rtenf needs them for its process table: "
			 "a kernel with BTF (CONFIG_DEBUG_INFO_BTF=y), 5.5 or later",
			 strerror(-feature_probe(FEAT_PROG_TP_BTF)->err));
		return -EOPNOTSUPP;
	}
	skel = base_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(err, errlen, "opening the base sensor failed: %s", strerror(-r));
		return r;
	}
	skel->rodata->rtenf_key = o->key;
	if ((r = bpf_map__set_max_entries(skel->maps.events, o->ringbuf_bytes)) ||
	    (r = bpf_map__set_max_entries(skel->maps.processes, o->max_processes)) ||
	    (r = bpf_map__set_max_entries(skel->maps.proc_sel, o->max_processes))) {
		snprintf(err, errlen, "sizing the base sensor's maps failed: %s", strerror(-r));
		goto out_destroy_skel;
	}
	r = base_bpf__load(skel);
	if (r) {
		const char *why = bpf_last_refusal();

		snprintf(err, errlen, "loading the base sensor failed: %s%s%s", strerror(-r),
			 *why ? "; the verifier said: " : "", why);
		goto out_destroy_skel;
	}
	r = read_host_ns(skel, bs->host_ns);
	if (r) {
		snprintf(err, errlen, "finding the host's namespaces failed: %s", strerror(-r));
		goto out_destroy_skel;
	}
	r = base_bpf__attach(skel);
	if (r) {
		snprintf(err, errlen, "attaching the base sensor failed: %s", strerror(-r));
		goto out_destroy_skel;
	}
	bs->skel = skel;
	return 0;

out_destroy_skel:
	base_bpf__destroy(skel);
	return r;
}

void base_sensor_stop(struct base_sensor *bs)
{
	base_bpf__destroy(bs->skel);
	bs->skel = NULL;
}

int base_sensor_map_fd(const struct base_sensor *bs, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(bs->skel->obj, name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

int base_sensor_share_maps(const struct base_sensor *bs, struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		int fd;

		if (bpf_map__is_internal(m))
			continue; /* .rodata and friends belong to each object */
		fd = base_sensor_map_fd(bs, bpf_map__name(m));
		if (fd < 0)
			continue;
		if (bpf_map__reuse_fd(m, fd))
			return -errno;
	}
	return 0;
}

uint64_t base_sensor_memory(const struct base_sensor *bs)
{
	struct bpf_map *m;
	uint64_t total = 0;

	bpf_object__for_each_map(m, bs->skel->obj)
		total += bpf_map_memory(bpf_map__fd(m));
	return total;
}
