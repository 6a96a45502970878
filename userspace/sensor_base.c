// SPDX-License-Identifier: GPL-2.0-only
#include "sensor_base.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base.skel.h"
#include "bpf_setup.h"
#include "feature_probe.h"
#include "log.h"
#include "util.h"

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

static void add_map(struct base_sensor *bs, const char *name, int fd, bool owned)
{
	struct base_map *m = VEC_PUSH(bs->maps, bs->n_maps);

	m->name = xstrdup(name);
	pin_name_sanitize(m->name);
	m->fd = fd;
	m->owned = owned;
}

int base_sensor_start(struct base_sensor *bs, const struct base_sensor_opts *o, char *err, size_t errlen)
{
	struct base_bpf *skel;
	struct bpf_map *m;
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
	bs->ringbuf_bytes = o->ringbuf_bytes;
	bpf_object__for_each_map(m, skel->obj)
		add_map(bs, bpf_map__name(m), bpf_map__fd(m), false);
	for (int i = 0; i < skel->skeleton->prog_cnt; i++)
		bs->n_links += *skel->skeleton->progs[i].link != NULL;
	return 0;

out_destroy_skel:
	base_bpf__destroy(skel);
	return r;
}

int base_sensor_pin(struct base_sensor *bs, struct pin_store *ps, char *err, size_t errlen)
{
	const struct bpf_object_skeleton *s = bs->skel->skeleton;
	char *path = NULL;
	int r = 0;

	for (int i = 0; i < 2 && !r; i++) {
		path = pin_store_path(ps, "%s", i ? "base" : "maps");
		if (mkdir(path, 0700))
			r = -errno;
		if (r)
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(-r));
		free(path);
	}
	for (size_t i = 0; i < bs->n_maps && !r; i++) {
		path = pin_store_path(ps, "maps/%s", bs->maps[i].name);
		if (bpf_obj_pin(bs->maps[i].fd, path)) {
			r = -errno;
			snprintf(err, errlen, "cannot pin %s: %s", path, strerror(-r));
		}
		free(path);
	}
	for (int i = 0; i < s->prog_cnt && !r; i++) {
		struct bpf_link *l = *s->progs[i].link;

		if (!l)
			continue; /* never attached (the host namespace reader) */
		path = pin_store_path(ps, "base/%s", s->progs[i].name);
		r = bpf_link__pin(l, path);
		if (r)
			snprintf(err, errlen, "cannot pin %s: %s (pinning needs BPF links: Linux 5.7 or later)", path,
				 strerror(-r));
		free(path);
	}
	return r;
}

static int adopt_map(struct base_sensor *bs, struct pin_store *ps, const struct bpf_map *m, char *err,
		     size_t errlen)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	char *name = xstrdup(bpf_map__name(m)), *path;
	int fd, r = 0;

	pin_name_sanitize(name);
	path = pin_store_path(ps, "maps/%s", name);
	fd = bpf_obj_get(path);
	free(name);

	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s is incomplete: %s: %s", ps->dir, path, strerror(-r));
	} else if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != bpf_map__type(m) ||
		   info.key_size != bpf_map__key_size(m) || info.value_size != bpf_map__value_size(m)) {
		snprintf(err, errlen, "%s is not the map this build of rtenf pins there", path);
		r = -EPROTO;
	}
	if (r) {
		if (fd >= 0)
			close(fd);
	} else {
		if (!strcmp(bpf_map__name(m), "events"))
			bs->ringbuf_bytes = info.max_entries;
		add_map(bs, bpf_map__name(m), fd, true);
	}
	free(path);
	return r;
}

int base_sensor_adopt(struct base_sensor *bs, struct pin_store *ps, char *err, size_t errlen)
{
	struct base_bpf *skel;
	struct bpf_program *p;
	struct bpf_map *m;
	int r = 0;

	memset(bs, 0, sizeof(*bs));
	skel = base_bpf__open(); /* only to know what should be pinned */
	if (!skel) {
		r = -errno;
		snprintf(err, errlen, "opening the base sensor failed: %s", strerror(-r));
		return r;
	}
	bpf_object__for_each_map(m, skel->obj) {
		r = adopt_map(bs, ps, m, err, errlen);
		if (r)
			goto out;
	}
	bpf_object__for_each_program(p, skel->obj) {
		char *path;
		struct bpf_link *l;

		if (p == skel->progs.rtenf_host_ns)
			continue; /* run once at start, never attached */
		path = pin_store_path(ps, "base/%s", bpf_program__name(p));
		l = bpf_link__open(path);
		if (!l) {
			r = -errno;
			snprintf(err, errlen, "%s is incomplete: %s: %s", ps->dir, path, strerror(-r));
			free(path);
			goto out;
		}
		free(path);
		*VEC_PUSH(bs->adopted, bs->n_adopted) = l;
	}
	bs->n_links = bs->n_adopted;
	memcpy(bs->host_ns, ps->meta.host_ns, sizeof(bs->host_ns));
out:
	base_bpf__destroy(skel);
	if (r)
		base_sensor_stop(bs);
	return r;
}

void base_sensor_stop(struct base_sensor *bs)
{
	for (size_t i = 0; i < bs->n_adopted; i++)
		bpf_link__destroy(bs->adopted[i]); /* closes: the pin, if any, keeps it attached */
	for (size_t i = 0; i < bs->n_maps; i++) {
		if (bs->maps[i].owned)
			close(bs->maps[i].fd);
		free(bs->maps[i].name);
	}
	free(bs->adopted);
	free(bs->maps);
	base_bpf__destroy(bs->skel);
	memset(bs, 0, sizeof(*bs));
}

int base_sensor_map_fd(const struct base_sensor *bs, const char *name)
{
	for (size_t i = 0; i < bs->n_maps; i++)
		if (!strcmp(bs->maps[i].name, name))
			return bs->maps[i].fd;
	return -ENOENT;
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
	uint64_t total = 0;

	for (size_t i = 0; i < bs->n_maps; i++)
		total += bpf_map_memory(bs->maps[i].fd);
	return total;
}

uint64_t base_sensor_program_memory(const struct base_sensor *bs)
{
	struct bpf_link **links = xcalloc(bs->n_links + 1, sizeof(*links));
	uint32_t *ids = xcalloc(bs->n_links + 1, sizeof(*ids));
	uint64_t total;
	size_t n = 0;

	if (bs->skel) {
		const struct bpf_object_skeleton *s = bs->skel->skeleton;

		for (int i = 0; i < s->prog_cnt && n < bs->n_links; i++)
			if (*s->progs[i].link)
				links[n++] = *s->progs[i].link;
	}
	for (size_t i = 0; i < bs->n_adopted && n < bs->n_links; i++)
		links[n++] = bs->adopted[i];
	total = bpf_links_prog_memory(links, n, ids);
	free(links);
	free(ids);
	return total;
}

const void *base_sensor_elf(size_t *sz)
{
	return base_bpf__elf_bytes(sz);
}
