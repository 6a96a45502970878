// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook arguments as JSON, in the shape Tetragon gives its KprobeArgument.
 *
 * rtenf's wire format is sometimes more compact than Tetragon's message,
 * and then this file prints Tetragon's shape so jq recipes keep working:
 *
 *  - capability sets are bit masks on the wire; Tetragon prints arrays of
 *    CapabilitiesType names (unknown bits as their number, as protojson
 *    prints enum values it does not know);
 *  - the capability-mask arguments (kernel_cap_t_arg, cap_*_arg) are
 *    strings of 16 hex digits in Tetragon ("Capabilities in hexadecimal
 *    format", caps.GetCapabilitiesHex), so `== "000001ffffffffff"` tests
 *    written for Tetragon match;
 *  - process_credentials_arg.securebits is a mask on the wire and an array
 *    of SecureBitsType names in Tetragon, whose enum values are the masks;
 *  - process_credentials_arg.user_ns is only the namespace's inode number
 *    on the wire; Tetragon prints a UserNamespace, so it is printed as
 *    {"ns":{"inum":N}}, the one part rtenf knows;
 *  - the cred ids are google.protobuf.UInt32Value in Tetragon and are
 *    printed even when 0, so `.euid == 0` selects root.
 */
#include "event_json_args.h"

#include <inttypes.h>

#include "event_format.h"
#include "names.h"

/* A bit mask as an array of enum names.  value_is_mask: the enum's values
 * are the masks themselves (SecureBitsType), not bit numbers
 * (CapabilitiesType); it decides what an unnamed bit prints as. */
static void put_bit_names(struct jobj *o, const char *key, uint64_t mask, const char *(*name_of)(unsigned bit),
			  bool value_is_mask)
{
	size_t n = 0;

	if (!mask)
		return;
	jobj_array_open(o, key);
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(mask & (1ull << bit)))
			continue;
		jarr_next(o->sb, n++);
		name = name_of(bit);
		if (name)
			json_put_string(o->sb, name);
		else if (value_is_mask)
			sb_printf(o->sb, "%" PRIu64, (uint64_t)1 << bit);
		else
			sb_printf(o->sb, "%u", bit);
	}
	jobj_array_close(o);
}

void json_put_capabilities(struct jobj *o, const char *key, const rtenf_Capabilities *c)
{
	struct jobj caps;

	jobj_open_at(o, key, &caps);
	put_bit_names(&caps, "permitted", c->permitted, capability_name, false);
	put_bit_names(&caps, "effective", c->effective, capability_name, false);
	put_bit_names(&caps, "inheritable", c->inheritable, capability_name, false);
	jobj_close(&caps);
}

/* KprobePath, KprobeFile and KprobeLinuxBinprm share their fields. */
static void put_file_like(struct jobj *o, const char *key, const char *mount, const char *path, const char *flags,
			  const char *permission)
{
	struct jobj f;

	jobj_open_at(o, key, &f);
	jobj_str(&f, "mount", mount);
	jobj_str(&f, "path", path);
	jobj_str(&f, "flags", flags);
	jobj_str(&f, "permission", permission);
	jobj_close(&f);
}

static void put_sock(struct jobj *o, const rtenf_KprobeSock *s)
{
	struct jobj k;

	jobj_open_at(o, "sock_arg", &k);
	jobj_str(&k, "family", s->family);
	jobj_str(&k, "type", s->type);
	jobj_str(&k, "protocol", s->protocol);
	jobj_u32(&k, "mark", s->mark, false);
	jobj_u32(&k, "priority", s->priority, false);
	jobj_str(&k, "saddr", s->saddr);
	jobj_str(&k, "daddr", s->daddr);
	jobj_u32(&k, "sport", s->sport, false);
	jobj_u32(&k, "dport", s->dport, false);
	jobj_u64(&k, "cookie", s->cookie);
	jobj_str(&k, "state", s->state);
	jobj_close(&k);
}

static void put_sockaddr(struct jobj *o, const rtenf_KprobeSockaddr *s)
{
	struct jobj k;

	jobj_open_at(o, "sockaddr_arg", &k);
	jobj_str(&k, "family", s->family);
	jobj_str(&k, "addr", s->addr);
	jobj_u32(&k, "port", s->port, false);
	jobj_close(&k);
}

static void put_syscall_id(struct jobj *o, const rtenf_KprobeSyscallId *id)
{
	struct jobj k;

	jobj_open_at(o, "syscall_id", &k);
	jobj_u32(&k, "id", id->id, true);
	jobj_str(&k, "abi", id->abi);
	jobj_str(&k, "name", id->name);
	jobj_close(&k);
}

/* Tetragon's skb_arg keys, for what rtenf reads of a packet. */
static void put_skb(struct jobj *o, const rtenf_KprobeSkb *s)
{
	struct jobj k;

	jobj_open_at(o, "skb_arg", &k);
	jobj_str(&k, "family", s->family);
	jobj_str(&k, "protocol", s->protocol);
	jobj_u32(&k, "len", s->len, false);
	jobj_u32(&k, "priority", s->priority, false);
	jobj_u32(&k, "mark", s->mark, false);
	jobj_str(&k, "saddr", s->saddr);
	jobj_str(&k, "daddr", s->daddr);
	jobj_u32(&k, "sport", s->sport, false);
	jobj_u32(&k, "dport", s->dport, false);
	jobj_close(&k);
}

static void put_cred(struct jobj *o, const rtenf_KprobeCred *c)
{
	struct jobj k;

	jobj_open_at(o, "process_credentials_arg", &k);
	jobj_u32(&k, "uid", c->uid, true);
	jobj_u32(&k, "gid", c->gid, true);
	jobj_u32(&k, "euid", c->euid, true);
	jobj_u32(&k, "egid", c->egid, true);
	jobj_u32(&k, "suid", c->suid, true);
	jobj_u32(&k, "sgid", c->sgid, true);
	jobj_u32(&k, "fsuid", c->fsuid, true);
	jobj_u32(&k, "fsgid", c->fsgid, true);
	put_bit_names(&k, "securebits", c->securebits, securebit_name, true);
	if (c->has_caps)
		json_put_capabilities(&k, "caps", &c->caps);
	if (c->user_ns) {
		struct jobj user_ns, ns;

		jobj_open_at(&k, "user_ns", &user_ns);
		jobj_open_at(&user_ns, "ns", &ns);
		jobj_u32(&ns, "inum", c->user_ns, false);
		jobj_close(&ns);
		jobj_close(&user_ns);
	}
	jobj_close(&k);
}

/* Set oneof members print even when zero, as protojson does. */
static void put_cap_mask(struct jobj *o, const char *key, uint64_t mask)
{
	jobj_key(o, key);
	sb_printf(o->sb, "\"%016" PRIx64 "\"", mask);
}

void json_put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a)
{
	struct jobj arg;

	jobj_open(&arg, sb);
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		jobj_key(&arg, "string_arg");
		json_put_string(sb, a->arg.string_arg);
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		jobj_key(&arg, "int_arg");
		sb_printf(sb, "%" PRId32, a->arg.int_arg);
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		jobj_key(&arg, "size_arg");
		sb_printf(sb, "\"%" PRIu64 "\"", a->arg.size_arg);
		break;
	case rtenf_KprobeArgument_bytes_arg_tag:
		jobj_key(&arg, "bytes_arg");
		if (a->arg.bytes_arg)
			json_put_base64(sb, a->arg.bytes_arg->bytes, a->arg.bytes_arg->size);
		else
			sb_puts(sb, "\"\"");
		break;
	case rtenf_KprobeArgument_path_arg_tag: {
		const rtenf_KprobePath *p = &a->arg.path_arg;

		put_file_like(&arg, "path_arg", p->mount, p->path, p->flags, p->permission);
		break;
	}
	case rtenf_KprobeArgument_file_arg_tag: {
		const rtenf_KprobeFile *f = &a->arg.file_arg;

		put_file_like(&arg, "file_arg", f->mount, f->path, f->flags, f->permission);
		break;
	}
	case rtenf_KprobeArgument_sock_arg_tag:
		put_sock(&arg, &a->arg.sock_arg);
		break;
	case rtenf_KprobeArgument_long_arg_tag:
		jobj_key(&arg, "long_arg");
		sb_printf(sb, "\"%" PRId64 "\"", a->arg.long_arg);
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		jobj_key(&arg, "uint_arg");
		sb_printf(sb, "%" PRIu32, a->arg.uint_arg);
		break;
	case rtenf_KprobeArgument_process_credentials_arg_tag:
		put_cred(&arg, &a->arg.process_credentials_arg);
		break;
	case rtenf_KprobeArgument_kernel_cap_t_arg_tag:
		put_cap_mask(&arg, "kernel_cap_t_arg", a->arg.kernel_cap_t_arg);
		break;
	case rtenf_KprobeArgument_cap_inheritable_arg_tag:
		put_cap_mask(&arg, "cap_inheritable_arg", a->arg.cap_inheritable_arg);
		break;
	case rtenf_KprobeArgument_cap_permitted_arg_tag:
		put_cap_mask(&arg, "cap_permitted_arg", a->arg.cap_permitted_arg);
		break;
	case rtenf_KprobeArgument_cap_effective_arg_tag:
		put_cap_mask(&arg, "cap_effective_arg", a->arg.cap_effective_arg);
		break;
	case rtenf_KprobeArgument_linux_binprm_arg_tag: {
		const rtenf_KprobeLinuxBinprm *b = &a->arg.linux_binprm_arg;

		put_file_like(&arg, "linux_binprm_arg", NULL, b->path, b->flags, b->permission);
		break;
	}
	case rtenf_KprobeArgument_sockaddr_arg_tag:
		put_sockaddr(&arg, &a->arg.sockaddr_arg);
		break;
	case rtenf_KprobeArgument_syscall_id_tag:
		put_syscall_id(&arg, &a->arg.syscall_id);
		break;
	case rtenf_KprobeArgument_skb_arg_tag:
		put_skb(&arg, &a->arg.skb_arg);
		break;
	}
	jobj_str(&arg, "label", a->label);
	jobj_bool(&arg, "truncated", a->truncated, false);
	jobj_close(&arg);
}
