/* SPDX-License-Identifier: GPL-2.0-only */
/* Names of kernel constants as users read them in events. */
#ifndef RTENF_NAMES_H
#define RTENF_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "events.pb.h"
#include "util.h"

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
/* "SecBitNoRoot" for bit 0 of a cred's securebits, in Tetragon's spelling
 * (its SecureBitsType enum); NULL when unknown. */
const char *securebit_name(unsigned bit);
/* "EPERM" for 1; NULL when unknown.  The sign is ignored: an override's
 * return value -1 and the errno 1 both name EPERM. */
const char *errno_name(int err);

/* Sockets (names_net.c).  All NULL when unknown, so callers choose how to
 * show the number. */
const char *address_family_name(unsigned family); /* "AF_INET" */
const char *socket_type_name(unsigned type);      /* "SOCK_STREAM" */
const char *ip_protocol_name(unsigned protocol);  /* "IPPROTO_TCP" */
const char *tcp_state_name(unsigned state);       /* "TCP_ESTABLISHED" */

/* Files (names_file.c). */
/* Appends a file's f_flags as "O_RDONLY|O_CLOEXEC"; bits without a name
 * follow as one hex number ("O_RDONLY|0x20"). */
void open_flags_format(struct strbuf *sb, uint32_t flags);
/* Writes an inode mode as ls does, "-rw-r--r--", "drwxrwxrwt", with '?' for
 * an unknown file type.  Returns false (and writes "") for mode 0, which
 * the kernel side sends when it could not read the inode. */
#define INODE_MODE_STRING_SIZE 11
bool inode_mode_string(uint32_t mode, char out[INODE_MODE_STRING_SIZE]);

#endif /* RTENF_NAMES_H */
