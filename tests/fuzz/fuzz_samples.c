// SPDX-License-Identifier: GPL-2.0-only
#include "fuzz_samples.h"

#include <stdlib.h>

#include "event_fixtures.h"

#define N_SAMPLES 7

static rtenf_Event samples[N_SAMPLES];
static int built;

/* ancestors as the decoder makes them: one array (pb_release frees it) */
static rtenf_Process *ancestors(void)
{
	rtenf_Process *list = calloc(2, sizeof(*list)), *a = fx_process_simple("/usr/bin/bash", "-l", 20),
		      *b = fx_process_init();

	if (!list)
		abort();
	list[0] = *a;
	list[1] = *b;
	free(a);
	free(b);
	return list;
}

static void build(void)
{
	fx_exec(&samples[0], fx_process_full(), fx_process_init());
	samples[0].event.process_exec.ancestors = ancestors();
	samples[0].event.process_exec.ancestors_count = 2;
	fx_exit(&samples[1], fx_process_simple("/usr/bin/cat", NULL, 11), "SIGKILL", 0);
	fx_tracepoint(&samples[2], fx_process_simple("/usr/bin/unshare", "-U true", 12), "syscalls",
		      "sys_enter_unshare", "kill-unshare", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
		      rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	fx_arg_size(&samples[2], "flags", 0x10000000);
	fx_arg_string(&samples[2], "path", "/etc/\x1b[31mshadow\xff");
	fx_arg_bytes(&samples[2], NULL, "\0\1\2\xff", 4);
	fx_arg_path(&samples[2], "dir", "/", "/tmp/x", "O_CREAT", "drwxr-xr-x");
	fx_arg_binprm(&samples[2], NULL, "/usr/bin/sh", NULL, NULL);
	fx_arg_sock(&samples[2], "sk", "AF_INET6", "IPPROTO_TCP", "::1", 1234, "fe80::1", 80);
	fx_arg_cred(&samples[2], "cred")->uid = 1000;
	fx_arg_caps(&samples[2], "caps", rtenf_KprobeArgument_cap_effective_arg_tag, 0x1ffffffffffull);
	fx_add_tag(&samples[2], "containers");
	samples[2].event.process_tracepoint.ancestors = ancestors();
	samples[2].event.process_tracepoint.ancestors_count = 2;
	fx_kprobe(&samples[3], fx_process_simple("/usr/bin/curl", NULL, 14), "tcp_connect", "net-watch",
		  rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_arg_sockaddr(&samples[3], "addr", "AF_INET", "10.0.0.1", 443);
	fx_lsm(&samples[4], fx_process_simple("/usr/bin/cat", "/etc/shadow", 15), "file_open", "watch-shadow",
	       rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	fx_arg_file(&samples[4], NULL, "/etc/shadow", "O_RDONLY", "-rw-r-----");
	fx_uprobe(&samples[5], fx_process_simple("/usr/bin/bash", NULL, 16), "/usr/bin/bash", "readline", "net-watch",
		  rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_lost(&samples[6], 3, "kernel");
	built = 1;
}

const rtenf_Event *fuzz_sample_events(size_t *n)
{
	if (!built)
		build();
	*n = N_SAMPLES;
	return samples;
}
