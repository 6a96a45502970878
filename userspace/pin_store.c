// SPDX-License-Identifier: GPL-2.0-only
#include "pin_store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "log.h"
#include "util.h"

#define BPF_FS_MAGIC 0xcafe4a11
#define META_MAGIC "rtenfpin"
#define POLICY_MAGIC "rtenfpol"
#define RECORD_MAX (64u << 20) /* a record larger than this is not ours */

_Static_assert(sizeof(struct pin_meta) == 152, "pin_meta layout: bump PIN_LAYOUT when it changes");
_Static_assert(sizeof(struct pin_policy_hdr) == 56, "pin_policy_hdr layout: bump PIN_LAYOUT when it changes");

uint64_t pin_digest(uint64_t seed, const void *data, size_t len)
{
	enum { CHUNK = 4000 }; /* under RTENF_HASH_MAX_LEN - 1 */
	const uint8_t *p = data;
	uint64_t d = seed ^ len;
	size_t off = 0, i = 0;

	do {
		/* rtenf_hash() may read a whole block past the end: a padded copy */
		uint8_t chunk[RTENF_HASH_MAX_LEN] = {0};
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		struct rtenf_hash_key k = {.k0 = d, .k1 = i++};

		if (n)
			memcpy(chunk, p + off, n);
		d = rtenf_hash(chunk, (__u32)n, &k);
		off += n;
	} while (off < len);
	return d;
}

void pin_name_sanitize(char *name)
{
	for (; *name; name++)
		if (*name == '.' || *name == '/')
			*name = '_';
}

char *pin_store_path(const struct pin_store *ps, const char *fmt, ...)
{
	struct strbuf sb = {0};
	va_list ap;

	sb_puts(&sb, ps->dir);
	sb_putc(&sb, '/');
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	return sb_steal(&sb);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Names in dir other than . and .. (caller frees each and the array);
 * NULL with *n == 0 when empty or missing. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			*VEC_PUSH(names, *n) = xstrdup(de->d_name);
	closedir(d);
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Unpins every entry of dir (all of them rtenf's), then removes dir. */
static int empty_and_remove(const char *dir)
{
	size_t n;
	char **names = list_dir(dir, &n);
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);

		if (unlink(p) && errno != ENOENT) {
			log_warn("cannot unpin %s: %s", p, strerror(errno));
			r = -errno;
		}
		free(p);
	}
	free_names(names, n);
	if (rmdir(dir) && errno != ENOENT)
		r = -errno;
	return r;
}

/* ---- meta --------------------------------------------------------------- */

static int read_meta(struct pin_store *ps, char *err, size_t errlen)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info), key = 0;
	char *path = pin_store_path(ps, "meta");
	uint8_t *buf = NULL;
	int fd = bpf_obj_get(path), r = 0;

	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT)
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(-r));
		free(path);
		return r;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_ARRAY || info.key_size != 4 ||
	    info.value_size < 16 || info.value_size > 65536) {
		snprintf(err, errlen,
			 "%s is not an rtenf meta map; %s holds objects rtenf did not pin: choose "
			 "another --bpf-dir",
			 path, ps->dir);
		r = -EEXIST;
		goto out;
	}
	buf = xcalloc(1, info.value_size);
	if (bpf_map_lookup_elem(fd, &key, buf)) {
		r = -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
		goto out;
	}
	if (memcmp(buf, META_MAGIC, 8)) {
		snprintf(err, errlen,
			 "%s is not an rtenf meta map; %s holds objects rtenf did not pin: choose "
			 "another --bpf-dir",
			 path, ps->dir);
		r = -EEXIST;
		goto out;
	}
	memcpy(&ps->meta, buf, info.value_size < sizeof(ps->meta) ? info.value_size : sizeof(ps->meta));
	if (ps->meta.layout != PIN_LAYOUT || info.value_size != sizeof(ps->meta) || ps->meta.size != sizeof(ps->meta)) {
		ps->meta.version[sizeof(ps->meta.version) - 1] = '\0';
		snprintf(err, errlen,
			 "%s was pinned by rtenf %s with pin layout %u; this rtenf uses layout %u and will "
			 "not adopt it: run that version again, or unload its policies with `rtenf agent --cleanup "
			 "--bpf-dir %s` (with the version that pinned them)",
			 ps->dir, ps->meta.layout == PIN_LAYOUT ? ps->meta.version : "(another version)",
			 ps->meta.layout, PIN_LAYOUT, ps->dir);
		r = -EPROTO;
		goto out;
	}
	ps->meta.version[sizeof(ps->meta.version) - 1] = '\0';
	ps->meta_fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(path);
	return r;
}

int pin_store_open(struct pin_store *ps, const char *dir, const char *version, uint64_t bpf_build, bool cleanup,
		   char *err, size_t errlen)
{
	struct statfs fs;
	struct stat st = {0};
	size_t n = 0;
	char **names;
	int r;

	memset(ps, 0, sizeof(*ps));
	ps->dir_fd = ps->meta_fd = -1;
	ps->dir = xstrdup(dir);
	if (cleanup && access(dir, F_OK)) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(-r));
		goto out_fail;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		r = -errno;
		snprintf(err, errlen, "cannot create %s: %s (is bpffs mounted on its parent?)", dir, strerror(-r));
		goto out_fail;
	}
	if (statfs(dir, &fs) || fs.f_type != BPF_FS_MAGIC) {
		snprintf(err, errlen, "%s is not on a bpf filesystem: pins need one (mount -t bpf bpf /sys/fs/bpf)",
			 dir);
		r = -ENOTDIR;
		goto out_fail;
	}
	/* /sys/fs/bpf is often world-writable: a directory someone else made
	 * there would let them unpin (detach) what rtenf enforces */
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(err, errlen,
			 "%s is not a directory owned by this user and writable only by it (uid %u, mode "
			 "%o): whoever can write there can unpin what rtenf enforces; remove it or choose another "
			 "--bpf-dir",
			 dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		r = -EPERM;
		goto out_fail;
	}
	ps->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ps->dir_fd < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot open %s: %s", dir, strerror(-r));
		goto out_fail;
	}
	if (flock(ps->dir_fd, LOCK_EX | LOCK_NB)) {
		r = -errno;
		if (r == -EWOULDBLOCK && cleanup)
			snprintf(err, errlen,
				 "an rtenf agent is running with %s; stop it first (SIGTERM unloads "
				 "everything it pinned)",
				 dir);
		else if (r == -EWOULDBLOCK)
			snprintf(err, errlen,
				 "another rtenf agent (or rtenf agent --cleanup) is using %s; every agent needs "
				 "its own --bpf-dir",
				 dir);
		else
			snprintf(err, errlen, "cannot lock %s: %s", dir, strerror(-r));
		r = r == -EWOULDBLOCK ? -EBUSY : r;
		goto out_fail;
	}
	r = read_meta(ps, err, errlen);
	if (r == -ENOENT) {
		names = list_dir(dir, &n);
		free_names(names, n);
		if (n) {
			snprintf(err, errlen,
				 "%s is not empty and has no rtenf meta pin: it holds objects rtenf did not "
				 "pin; choose another --bpf-dir",
				 dir);
			r = -EEXIST;
			goto out_fail;
		}
		return PIN_FRESH;
	}
	if (r)
		goto out_fail;
	if (cleanup)
		return PIN_ADOPT;
	if (ps->meta.bpf_build != bpf_build || strcmp(ps->meta.version, version)) {
		snprintf(err, errlen,
			 "%s was pinned by another build of rtenf (version %s, BPF objects %016llx; this "
			 "is %s, %016llx): its programs may write records this agent reads differently, so it will not "
			 "adopt them.  They keep enforcing.  Start the build that pinned them, or unload everything "
			 "with `rtenf agent --cleanup --bpf-dir %s` and start again",
			 dir, ps->meta.version, (unsigned long long)ps->meta.bpf_build, version,
			 (unsigned long long)bpf_build, dir);
		r = -EPROTO;
		goto out_fail;
	}
	if (!(ps->meta.flags & PIN_META_F_BASE_DONE)) {
		size_t foreign = 0;

		log_info("%s: an agent died while starting; removing what it pinned", dir);
		r = pin_store_remove_all(ps, &foreign);
		if (r || foreign) {
			snprintf(err, errlen, "cannot remove the pins of an agent that died while starting from %s: %s",
				 dir, r ? strerror(-r) : "other objects are in the way");
			r = r ? r : -EEXIST;
			goto out_fail;
		}
		if (mkdir(dir, 0700) && errno != EEXIST) {
			r = -errno;
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(-r));
			goto out_fail;
		}
		memset(&ps->meta, 0, sizeof(ps->meta));
		return PIN_FRESH;
	}
	return PIN_ADOPT;

out_fail:
	pin_store_close(ps);
	return r;
}

void pin_store_close(struct pin_store *ps)
{
	if (ps->meta_fd >= 0)
		close(ps->meta_fd);
	if (ps->dir_fd >= 0)
		close(ps->dir_fd); /* drops the lock */
	free(ps->dir);
	memset(ps, 0, sizeof(*ps));
	ps->dir_fd = ps->meta_fd = -1;
}

int pin_store_create_meta(struct pin_store *ps, const struct pin_meta *m)
{
	char *path = pin_store_path(ps, "meta");
	int fd, r = 0;

	ps->meta = *m;
	memcpy(ps->meta.magic, META_MAGIC, 8);
	ps->meta.layout = PIN_LAYOUT;
	ps->meta.size = sizeof(ps->meta);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rtenf_meta", 4, sizeof(ps->meta), 1, NULL);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	ps->meta_fd = fd;
	r = pin_store_write_meta(ps);
	if (!r && bpf_obj_pin(fd, path))
		r = -errno;
out:
	free(path);
	return r;
}

int pin_store_write_meta(struct pin_store *ps)
{
	__u32 key = 0;

	if (ps->meta_fd < 0)
		return -EBADF;
	return bpf_map_update_elem(ps->meta_fd, &key, &ps->meta, BPF_ANY) ? -errno : 0;
}

/* ---- policy records ----------------------------------------------------- */

int pin_store_policy_dir(struct pin_store *ps, uint32_t id, char **path)
{
	char *top = pin_store_path(ps, "policies");
	int r = 0;

	*path = pin_store_path(ps, "policies/%u", id);
	if ((mkdir(top, 0700) && errno != EEXIST) || mkdir(*path, 0700))
		r = -errno;
	free(top);
	return r;
}

int pin_store_write_policy(struct pin_store *ps, const struct pin_policy *pp, int *fd_out)
{
	struct pin_policy_hdr h = {0};
	struct strbuf blob = {0};
	char *path = pin_store_path(ps, "policies/%u/record", pp->id);
	uint32_t chunks;
	int fd, r = 0;

	memcpy(h.magic, POLICY_MAGIC, 8);
	h.layout = PIN_LAYOUT;
	h.id = pp->id;
	h.slot = pp->slot;
	h.n_hooks = (__u32)pp->n_hooks;
	h.loaded_at = pp->loaded_at;
	h.digest = pp->digest;
	h.name_len = (__u32)strlen(pp->name);
	h.file_len = (__u32)strlen(pp->file);
	h.yaml_len = (__u32)pp->yaml_len;
	h.mode = pp->mode;
	sb_append(&blob, (const char *)&h, sizeof(h));
	sb_append(&blob, (const char *)pp->n_links, pp->n_hooks);
	sb_append(&blob, pp->name, h.name_len);
	sb_append(&blob, pp->file, h.file_len);
	sb_append(&blob, pp->yaml, pp->yaml_len);
	chunks = (uint32_t)((blob.len + PIN_RECORD_CHUNK - 1) / PIN_RECORD_CHUNK);
	/* whole chunks: the last one is read past blob.len */
	while (blob.len % PIN_RECORD_CHUNK)
		sb_putc(&blob, '\0');
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rtenf_policy", 4, PIN_RECORD_CHUNK, chunks, NULL);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	for (__u32 i = 0; i < chunks && !r; i++)
		if (bpf_map_update_elem(fd, &i, blob.buf + (size_t)i * PIN_RECORD_CHUNK, BPF_ANY))
			r = -errno;
	if (!r && bpf_map_freeze(fd))
		r = -errno;
	if (!r && bpf_obj_pin(fd, path))
		r = -errno;
	if (r) {
		close(fd);
		fd = -1;
	}
	*fd_out = fd;
out:
	sb_free(&blob);
	free(path);
	return r;
}

static char *take_str(const uint8_t **p, size_t len)
{
	char *s = xstrndup((const char *)*p, len);

	*p += len;
	return s;
}

static void read_record(struct pin_store *ps, struct pin_policy *pp)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	char *path = pin_store_path(ps, "policies/%u/record", pp->id);
	const struct pin_policy_hdr *h;
	const uint8_t *p;
	uint8_t *blob = NULL;
	size_t need;
	int fd = bpf_obj_get(path);

	if (fd < 0)
		goto out;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_ARRAY ||
	    info.value_size != PIN_RECORD_CHUNK || !info.max_entries ||
	    (uint64_t)info.max_entries * PIN_RECORD_CHUNK > RECORD_MAX)
		goto out;
	blob = xcalloc(info.max_entries, PIN_RECORD_CHUNK);
	for (__u32 i = 0; i < info.max_entries; i++)
		if (bpf_map_lookup_elem(fd, &i, blob + (size_t)i * PIN_RECORD_CHUNK))
			goto out;
	h = (const void *)blob;
	if (memcmp(h->magic, POLICY_MAGIC, 8) || h->layout != PIN_LAYOUT || h->id != pp->id ||
	    h->slot >= RTENF_MAX_POLICIES)
		goto out;
	need = sizeof(*h) + (size_t)h->n_hooks + h->name_len + h->file_len + h->yaml_len;
	if (need > (size_t)info.max_entries * PIN_RECORD_CHUNK)
		goto out;
	p = blob + sizeof(*h);
	pp->slot = h->slot;
	pp->loaded_at = h->loaded_at;
	pp->digest = h->digest;
	pp->mode = h->mode;
	pp->n_hooks = h->n_hooks;
	pp->n_links = xmalloc(h->n_hooks ? h->n_hooks : 1);
	memcpy(pp->n_links, p, h->n_hooks);
	p += h->n_hooks;
	pp->name = take_str(&p, h->name_len);
	pp->file = take_str(&p, h->file_len);
	pp->yaml_len = h->yaml_len;
	pp->yaml = take_str(&p, h->yaml_len);
	pp->complete = true;
out:
	if (fd >= 0)
		close(fd);
	free(blob);
	free(path);
}

static int by_id(const void *a, const void *b)
{
	const struct pin_policy *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int pin_store_read_policies(struct pin_store *ps, struct pin_policy **out, size_t *n)
{
	char *top = pin_store_path(ps, "policies");
	size_t nn;
	char **names = list_dir(top, &nn);

	*out = NULL;
	*n = 0;
	free(top);
	for (size_t i = 0; i < nn; i++) {
		struct pin_policy *pp;

		if (!all_digits(names[i]))
			continue;
		pp = VEC_PUSH(*out, *n);
		pp->id = (uint32_t)strtoul(names[i], NULL, 10);
		read_record(ps, pp);
	}
	free_names(names, nn);
	if (*n)
		qsort(*out, *n, sizeof(**out), by_id); /* in the order they were applied */
	return 0;
}

void pin_policy_free(struct pin_policy *pp)
{
	free(pp->n_links);
	free(pp->name);
	free(pp->file);
	free(pp->yaml);
	memset(pp, 0, sizeof(*pp));
}

int pin_store_remove_policy(struct pin_store *ps, uint32_t id)
{
	char *dir = pin_store_path(ps, "policies/%u", id);
	int r = empty_and_remove(dir);

	free(dir);
	return r;
}

/* ---- everything --------------------------------------------------------- */

/* Switches every pinned policy off before its programs go: they stop acting
 * at once rather than one link at a time. */
static void disable_all(struct pin_store *ps, struct pin_policy *pols, size_t n)
{
	char *path = pin_store_path(ps, "maps/policy_state");
	int fd = bpf_obj_get(path);

	free(path);
	if (fd < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct rtenf_policy_state off = {0};

		if (pols[i].complete)
			bpf_map_update_elem(fd, &pols[i].slot, &off, BPF_ANY);
	}
	close(fd);
}

int pin_store_remove_all(struct pin_store *ps, size_t *foreign)
{
	static const char *const ours[] = {"meta", "maps", "base", "policies"};
	struct pin_policy *pols;
	size_t n, nn;
	char **names, *p;
	int r = 0, e;

	*foreign = 0;
	/* first of all: a crash during the clean-up leaves a start to finish */
	if (ps->meta_fd >= 0) {
		ps->meta.flags &= ~PIN_META_F_BASE_DONE;
		pin_store_write_meta(ps);
	}
	pin_store_read_policies(ps, &pols, &n);
	disable_all(ps, pols, n);
	for (size_t i = 0; i < n; i++) {
		e = pin_store_remove_policy(ps, pols[i].id);
		r = r ? r : e;
		pin_policy_free(&pols[i]);
	}
	free(pols);
	p = pin_store_path(ps, "policies");
	names = list_dir(p, &nn);
	*foreign += nn; /* not a policy directory: not ours */
	free_names(names, nn);
	if (!nn && rmdir(p) && errno != ENOENT)
		r = r ? r : -errno;
	free(p);
	/* programs first, their maps after */
	for (size_t i = 0; i < 2; i++) {
		p = pin_store_path(ps, "%s", i == 0 ? "base" : "maps");
		e = empty_and_remove(p);
		r = r ? r : e;
		free(p);
	}
	p = pin_store_path(ps, "meta");
	if (unlink(p) && errno != ENOENT)
		r = r ? r : -errno;
	free(p);
	names = list_dir(ps->dir, &nn);
	for (size_t i = 0; i < nn; i++) {
		bool mine = false;

		for (size_t j = 0; j < ARRAY_SIZE(ours); j++)
			mine |= !strcmp(names[i], ours[j]);
		*foreign += !mine;
	}
	free_names(names, nn);
	if (!nn)
		rmdir(ps->dir);
	return r;
}
