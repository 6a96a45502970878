/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which container a cgroup belongs to, read from its cgroup v2 path the way
 * container runtimes name their cgroups:
 *
 *   docker      /system.slice/docker-ID.scope        (systemd driver)
 *               /docker/ID                           (cgroupfs driver)
 *   containerd  .../cri-containerd-ID.scope          (Kubernetes, systemd driver)
 *   CRI-O       .../crio-ID.scope
 *   podman      .../libpod-ID.scope, .../libpod-ID   (also .../libpod-ID.scope/container)
 *   Kubernetes  /kubepods/CLASS/podUID/ID            (cgroupfs driver, any CRI runtime)
 *   any other   a component that is a bare ID
 *
 * ID is 64 lower-case hex digits, as all of these runtimes make them; a
 * component that only looks similar (docker.service, crio-conmon-ID.scope,
 * a shorter hex string) names no container.  When several components name
 * one (a container inside a container), the innermost wins: that is the
 * container the process runs in.  Pure string work, no file system access.
 */
#ifndef RTENF_CONTAINER_ID_H
#define RTENF_CONTAINER_ID_H

#include <stdbool.h>
#include <stddef.h>

#define CONTAINER_ID_LEN 64
/* Tetragon's `docker` field carries the first 31 characters of the id. */
#define CONTAINER_ID_SHORT_LEN 31

struct container_ref {
	char id[CONTAINER_ID_LEN + 1];
	const char *runtime; /* "docker", "containerd", "cri-o", "podman", "kubernetes", "unknown" */
	size_t depth;	     /* how many path components lead to the container's own cgroup */
};

/* Fills out and returns true when path (as /proc/PID/cgroup shows it, "/"
 * being the root) lies in a container's cgroup or below it. */
bool container_id_parse(const char *path, struct container_ref *out);

/* True when every character of s is a lower-case hex digit and s is not
 * empty: what a container id or a prefix of one looks like. */
bool container_id_is_hex(const char *s);

#endif /* RTENF_CONTAINER_ID_H */
