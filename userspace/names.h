/* SPDX-License-Identifier: GPL-2.0-only */
/* Names of kernel constants as users read them in events. */
#ifndef RTENF_NAMES_H
#define RTENF_NAMES_H

#include <stdint.h>

#include "events.pb.h"

/* "SIGKILL" for 9; NULL when unknown. */
const char *signal_name(unsigned sig);
/* Parses "SIGKILL", "KILL", "9"; returns 0 if unknown. */
unsigned signal_from_name(const char *s);
/* "CAP_SYS_ADMIN" for 21; NULL when unknown. */
const char *capability_name(unsigned cap);
/* "KPROBE_ACTION_SIGKILL". */
const char *kprobe_action_name(rtenf_KprobeAction a);
/* "audit", "enforce", "unset". */
const char *policy_mode_wire_name(rtenf_PolicyMode m);

#endif /* RTENF_NAMES_H */
