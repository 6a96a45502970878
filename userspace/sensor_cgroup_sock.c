// SPDX-License-Identifier: GPL-2.0-only
/* Override of connect, bind and sendmsg by cgroup socket-address programs
 * on the cgroup v2 root: kernel/cgroup_sock.bpf.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "sensor_hook.h"
/* the skeleton needs the shared headers sensor_hook.h brings in */
#include "cgroup_sock.skel.h"

const void *cgroup_sock_elf(size_t *sz)
{
	return cgroup_sock_bpf__elf_bytes(sz);
}

static void destroy(void *skel)
{
	cgroup_sock_bpf__destroy(skel);
}

int cgroup_sock_load(const struct hook_load_ctx *c, struct loaded_hook *out)
{
	const struct compiled_hook *h = c->h;
	const char *progs[7] = {0};
	struct cgroup_sock_bpf *skel;
	const char *root = cgroup2_root();
	int n = 0, cg, r;

	if (!root) {
		snprintf(c->err, c->errlen, "no cgroup v2 hierarchy is mounted; mount one (mount -t cgroup2 none "
			 "/sys/fs/cgroup) for Override of connect, bind and sendmsg");
		return -ENOENT;
	}
	if (h->sock_ops & RTENF_SOCK_CONNECT)
		progs[n++] = "sock_connect4", progs[n++] = "sock_connect6";
	if (h->sock_ops & RTENF_SOCK_BIND)
		progs[n++] = "sock_bind4", progs[n++] = "sock_bind6";
	if (h->sock_ops & RTENF_SOCK_SENDMSG)
		progs[n++] = "sock_sendmsg4", progs[n++] = "sock_sendmsg6";
	skel = cgroup_sock_bpf__open();
	if (!skel) {
		snprintf(c->err, c->errlen, "opening the cgroup socket programs failed: %s", strerror(errno));
		return -errno;
	}
	out->skel = skel;
	out->destroy_skel = destroy;
	r = hook_prepare(c, skel->obj, (struct rtenf_hook_config *)&skel->rodata->rtenf_cfg,
			 (struct rtenf_hash_key *)&skel->rodata->rtenf_key, skel->maps.saved_calls);
	if (r)
		return r;
	hook_autoload_only(skel->obj, progs);
	r = cgroup_sock_bpf__load(skel);
	if (r) {
		return hook_refused(c, "the cgroup socket programs", r);
	}
	r = hook_fill_values(c, skel->obj);
	if (r)
		return r;
	cg = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0) {
		snprintf(c->err, c->errlen, "cannot open %s: %s", root, strerror(errno));
		return -errno;
	}
	for (int i = 0; !r && progs[i]; i++)
		r = hook_add_link(c, out, bpf_program__attach_cgroup(bpf_object__find_program_by_name(skel->obj, progs[i]),
								    cg), progs[i]);
	close(cg);
	if (r)
		return r;
	hook_describe(c, out, skel->obj);
	return 0;
}
