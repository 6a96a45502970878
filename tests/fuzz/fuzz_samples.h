/* SPDX-License-Identifier: GPL-2.0-only */
/* A few events of every kind for the fuzzers' filters to judge (built once
 * with tests/unit/event_fixtures), and the policy fuzz_record's records
 * belong to. */
#ifndef RTENF_FUZZ_SAMPLES_H
#define RTENF_FUZZ_SAMPLES_H

#include <stddef.h>

#include "events.pb.h"

const rtenf_Event *fuzz_sample_events(size_t *n);

/* The policy fuzz_record names its hook records after: hook 0 a tracepoint
 * with a string and an int argument, hook 1 a syscall kprobe (on the
 * host: its tracepoint) with an int and a string. */
#define FUZZ_RECORD_POLICY_ID 1
#define FUZZ_RECORD_POLICY                                                                                             \
	"apiVersion: cilium.io/v1alpha1\n"                                                                             \
	"kind: TracingPolicy\n"                                                                                        \
	"metadata:\n"                                                                                                  \
	"  name: fuzz-record\n"                                                                                        \
	"spec:\n"                                                                                                      \
	"  tracepoints:\n"                                                                                             \
	"  - subsystem: syscalls\n"                                                                                    \
	"    event: sys_enter_openat\n"                                                                                \
	"    args:\n"                                                                                                  \
	"    - index: 6\n"                                                                                             \
	"      type: string\n"                                                                                         \
	"    - index: 7\n"                                                                                             \
	"      type: int\n"                                                                                            \
	"  kprobes:\n"                                                                                                 \
	"  - call: sys_mkdir\n"                                                                                        \
	"    syscall: true\n"                                                                                          \
	"    args:\n"                                                                                                  \
	"    - index: 1\n"                                                                                             \
	"      type: int\n"                                                                                            \
	"    - index: 0\n"                                                                                             \
	"      type: string\n"

#endif /* RTENF_FUZZ_SAMPLES_H */
