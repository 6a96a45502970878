/* SPDX-License-Identifier: GPL-2.0-only */
/* Includes and small helpers every rtenf BPF object uses. */
#ifndef RTENF_COMMON_BPF_H
#define RTENF_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "rtenf_events.h"
#include "rtenf_hash.h"
#include "rtenf_policy.h"

/* Set by the loader before load, the same in every object: the secret key of
 * rtenf_hash().  Read-only data, so it costs nothing per event. */
const volatile struct rtenf_hash_key rtenf_key = {};

#ifdef RTENF_DEBUG
#define rtenf_debug(fmt, ...) bpf_printk(fmt, ##__VA_ARGS__)
#else
#define rtenf_debug(fmt, ...) do { } while (0)
#endif

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#endif /* RTENF_COMMON_BPF_H */
