// SPDX-License-Identifier: GPL-2.0-only
/* Kernel-function hooks: kernel/generic_kprobe.bpf.c as kprobe, kprobe.multi,
 * fentry/fexit or fmod_ret. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sensor_hook.h"
/* the skeleton needs the shared headers sensor_hook.h brings in */
#include "generic_kprobe.skel.h"

const void *kprobe_family_elf(size_t *sz)
{
	return generic_kprobe_bpf__elf_bytes(sz);
}

static void destroy(void *skel)
{
	generic_kprobe_bpf__destroy(skel);
}

/* The programs a mechanism runs: entry, and maybe a return program. */
static void choose_programs(const struct compiled_hook *h, const char *progs[3])
{
	switch (h->mechanism) {
	case MECH_KPROBE:
		progs[0] = h->cfg.flags & RTENF_HOOKCFG_F_AT_RETURN ? NULL : "kprobe_enter";
		break;
	case MECH_KPROBE_MULTI:
		progs[0] = "kprobe_multi_enter";
		break;
	case MECH_KPROBE_OVERRIDE:
		progs[0] = "kprobe_override";
		break;
	case MECH_FENTRY:
		progs[0] = "fentry_enter";
		break;
	case MECH_FEXIT:
		progs[0] = "fexit_return";
		break;
	case MECH_FMOD_RET:
		progs[0] = "fmod_ret_enter";
		break;
	default:
		break;
	}
	/* return: true saves arguments at entry; late decisions too */
	if (h->mechanism == MECH_KPROBE && (h->cfg.flags & RTENF_HOOKCFG_F_AT_RETURN)) {
		progs[0] = "kprobe_enter";
		progs[1] = "kprobe_return";
	} else if (h->return_program && (h->mechanism == MECH_KPROBE || h->mechanism == MECH_KPROBE_MULTI)) {
		progs[1] = "kprobe_return";
	} else if (h->return_program && h->mechanism == MECH_FENTRY) {
		progs[1] = "fexit_deferred";
	}
}

static struct bpf_program *prog_by_name(struct generic_kprobe_bpf *skel, const char *name)
{
	return name ? bpf_object__find_program_by_name(skel->obj, name) : NULL;
}

static struct bpf_link *attach(struct generic_kprobe_bpf *skel, struct bpf_program *p, const char *sym)
{
	const char *name = bpf_program__name(p);

	if (!strcmp(name, "kprobe_multi_enter")) {
		LIBBPF_OPTS(bpf_kprobe_multi_opts, o, .syms = &sym, .cnt = 1);

		return bpf_program__attach_kprobe_multi_opts(p, NULL, &o);
	}
	if (!strcmp(name, "kprobe_enter") || !strcmp(name, "kprobe_override"))
		return bpf_program__attach_kprobe(p, false, sym);
	if (!strcmp(name, "kprobe_return"))
		return bpf_program__attach_kprobe(p, true, sym);
	(void)skel;
	return bpf_program__attach_trace(p); /* fentry, fexit, fmod_ret: the target is set at load */
}

int kprobe_family_load(const struct hook_load_ctx *c, struct loaded_hook *out)
{
	const struct compiled_hook *h = c->h;
	const char *progs[3] = {NULL, NULL, NULL};
	struct generic_kprobe_bpf *skel;
	int r;

	skel = generic_kprobe_bpf__open();
	if (!skel) {
		snprintf(c->err, c->errlen, "opening the kprobe program failed: %s", strerror(errno));
		return -errno;
	}
	out->skel = skel;
	out->destroy_skel = destroy;
	r = hook_prepare(c, skel->obj, (struct rtenf_hook_config *)&skel->rodata->rtenf_cfg,
			 (struct rtenf_hash_key *)&skel->rodata->rtenf_key, skel->maps.saved_calls);
	if (r)
		return r;
	choose_programs(h, progs);
	hook_autoload_only(skel->obj, progs);
	for (int i = 0; progs[i]; i++) {
		struct bpf_program *p = prog_by_name(skel, progs[i]);

		if (bpf_program__type(p) == BPF_PROG_TYPE_TRACING)
			bpf_program__set_attach_target(p, 0, h->attach);
	}
	r = generic_kprobe_bpf__load(skel);
	if (r) {
		char what[256];

		snprintf(what, sizeof(what), "the %s program on %s", hook_mechanism_name(h->mechanism), h->attach);
		return hook_refused(c, what, r);
	}
	r = hook_fill_values(c, skel->obj);
	for (int i = 0; !r && progs[i]; i++)
		r = hook_add_link(c, out, attach(skel, prog_by_name(skel, progs[i]), h->attach), h->attach);
	if (r)
		return r;
	hook_describe(c, out, skel->obj);
	return 0;
}
