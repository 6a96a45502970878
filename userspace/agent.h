/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent: owns every BPF object, reads the ring buffer, keeps the process
 * cache, serves clients.  One thread, one epoll loop:
 *
 *   ring buffer ──> event_builder ──> server (clients) and stdout
 *   socket ───────> server ──> requests ──> policy_manager
 *   timer (1 s) ──> kernel drop counter ──> lost_events; cache expiry
 */
#ifndef RTENF_AGENT_H
#define RTENF_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_format.h"
#include "rtenf_events.h"

enum agent_stdout {
	AGENT_STDOUT_NONE,
	AGENT_STDOUT_COMPACT,
	AGENT_STDOUT_JSON,
};

struct agent_config {
	const char *socket_path;
	const char *bpf_dir;          /* bpffs directory of the pins; NULL: nothing pinned */
	bool keep_on_exit;            /* SIGTERM/SIGINT leave pinned policies enforcing */
	const char **policy_paths;    /* files or directories applied at start, as one transaction */
	size_t n_policy_paths;
	bool skip_unsupported;        /* leave out start-up policies this kernel cannot run */
	enum rtenf_mode default_mode; /* for policies that do not say */
	enum agent_stdout stdout_format;
	bool color;
	uint32_t ringbuf_bytes;
	bool ringbuf_given;           /* said on the command line: must match pins */
	uint32_t max_processes;
	bool max_processes_given;
	uint64_t policy_memory_limit; /* bytes per policy; 0: none */
	uint32_t client_queue_bytes;  /* per streaming client */
	unsigned resume_wait_s;       /* after adopting: hold the ring buffer for the first client */
	uint32_t report_rows;         /* per table of a policy's report; 0: the default */
	bool daemonize;
};

/* Runs until SIGINT/SIGTERM.  Returns a process exit code. */
int agent_run(const struct agent_config *cfg);
/* rtenf agent --cleanup: unpins everything rtenf pinned in cfg->bpf_dir
 * (enforcement stops), nothing else.  Returns a process exit code. */
int agent_cleanup(const struct agent_config *cfg);

#endif /* RTENF_AGENT_H */
