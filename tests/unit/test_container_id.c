// SPDX-License-Identifier: GPL-2.0-only
/* Container ids from cgroup v2 paths, as each runtime lays them out. */
#include <criterion/criterion.h>
#include <string.h>

#include "container_id.h"

#define ID1 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID2 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define POD "pod5b4a2c1e_7f3d_4e0b_9c8a_1d2e3f4a5b6c"

static const struct {
	const char *path;
	const char *id; /* NULL: no container */
	const char *runtime;
	size_t depth;
} cases[] = {
    /* docker, systemd and cgroupfs drivers */
    {"/system.slice/docker-" ID1 ".scope", ID1, "docker", 2},
    {"/docker/" ID1, ID1, "docker", 2},
    /* systemd running inside the container makes its own cgroups below */
    {"/system.slice/docker-" ID1 ".scope/init.scope", ID1, "docker", 2},
    /* Kubernetes: containerd and CRI-O with the systemd driver */
    {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-" POD ".slice/cri-containerd-" ID1 ".scope", ID1,
     "containerd", 4},
    {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-" POD ".slice/crio-" ID2 ".scope", ID2, "cri-o", 4},
    {"/kubepods.slice/kubepods-" POD ".slice/cri-containerd-" ID2 ".scope", ID2, "containerd", 3},
    /* Kubernetes with the cgroupfs driver: the runtime is not in the path */
    {"/kubepods/besteffort/" POD "/" ID1, ID1, "kubernetes", 4},
    {"/kubepods/" POD "/" ID2, ID2, "kubernetes", 3},
    /* podman: rootful, rootless, cgroupfs, and the split "container" cgroup */
    {"/machine.slice/libpod-" ID1 ".scope", ID1, "podman", 2},
    {"/machine.slice/libpod-" ID1 ".scope/container", ID1, "podman", 2},
    {"/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID2 ".scope", ID2, "podman", 5},
    {"/libpod_parent/libpod-" ID1, ID1, "podman", 2},
    {"/libpod_parent/" ID1, ID1, "podman", 2},
    /* a runtime rtenf has no name for, e.g. a CI runner's job cgroup */
    {"/actions_job/" ID2, ID2, "unknown", 2},
    /* a container inside a container: the innermost is where it runs */
    {"/system.slice/docker-" ID1 ".scope/docker/" ID2, ID2, "docker", 4},
    /* doubled and trailing slashes do not matter */
    {"//system.slice//docker-" ID1 ".scope/", ID1, "docker", 2},
    /* no container */
    {"/", NULL, NULL, 0},
    {"", NULL, NULL, 0},
    {"/user.slice/user-1000.slice/session-3.scope", NULL, NULL, 0},
    {"/system.slice/docker.service", NULL, NULL, 0},
    {"/system.slice/containerd.service", NULL, NULL, 0},
    /* CRI-O's monitor runs beside the container, not in it */
    {"/kubepods.slice/kubepods-" POD ".slice/crio-conmon-" ID1 ".scope", NULL, NULL, 0},
    /* one hex digit short, one too many, upper case, not hex */
    {"/system.slice/docker-"
     "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3"
     ".scope",
     NULL, NULL, 0},
    {"/docker/" ID1 "0", NULL, NULL, 0},
    {"/docker/9EC39B91F3D70E1BEFF50A308F77067065EA6BE0D91A3378375056CD4422CF3D", NULL, NULL, 0},
    {"/docker/9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3g", NULL, NULL, 0},
    /* the suffix must be exactly .scope where a runtime writes it */
    {"/system.slice/docker-" ID1 ".slice", NULL, NULL, 0},
    {"/system.slice/docker-" ID1, NULL, NULL, 0},
};

Test(container_id, runtimes_layouts)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct container_ref ref;
		bool found;

		memset(&ref, 0x55, sizeof(ref));
		found = container_id_parse(cases[i].path, &ref);
		if (!cases[i].id) {
			cr_expect_not(found, "%s: found %s", cases[i].path, found ? ref.id : "");
			continue;
		}
		cr_assert(found, "%s: no container found", cases[i].path);
		cr_expect_str_eq(ref.id, cases[i].id, "%s", cases[i].path);
		cr_expect_str_eq(ref.runtime, cases[i].runtime, "%s", cases[i].path);
		cr_expect_eq(ref.depth, cases[i].depth, "%s: depth %zu", cases[i].path, ref.depth);
	}
}

Test(container_id, hex_prefixes)
{
	cr_expect(container_id_is_hex("9ec39b"));
	cr_expect(container_id_is_hex(ID1));
	cr_expect_not(container_id_is_hex(""));
	cr_expect_not(container_id_is_hex("9EC39B"));
	cr_expect_not(container_id_is_hex("docker-9ec39b"));
	cr_expect_not(container_id_is_hex("9ec 39b"));
}
