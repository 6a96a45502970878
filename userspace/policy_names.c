// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of the policy AST's enums, spelled as in Tetragon's YAML so that
 * messages and listings quote what the user wrote.  Values outside an enum
 * give "unknown" rather than NULL: these end up in printf("%s").
 */
#include "policy.h"
#include "util.h"

static const char *name_of(const char *const *names, size_t n, unsigned i)
{
	return i < n && names[i] ? names[i] : "unknown";
}

const char *policy_op_name(enum policy_op op)
{
	static const char *const names[] = {
		[POP_IN] = "In",
		[POP_NOT_IN] = "NotIn",
		[POP_EQUAL] = "Equal",
		[POP_NOT_EQUAL] = "NotEqual",
		[POP_PREFIX] = "Prefix",
		[POP_NOT_PREFIX] = "NotPrefix",
		[POP_POSTFIX] = "Postfix",
		[POP_NOT_POSTFIX] = "NotPostfix",
		[POP_GT] = "GT",
		[POP_LT] = "LT",
		[POP_MASK] = "Mask",
		[POP_IN_MAP] = "InMap",
		[POP_NOT_IN_MAP] = "NotInMap",
		[POP_IN_RANGE] = "InRange",
		[POP_NOT_IN_RANGE] = "NotInRange",
		[POP_SUBSTRING] = "SubString",
		[POP_SUBSTRING_IGN_CASE] = "SubStringIgnCase",
		[POP_FILE_TYPE] = "FileType",
		[POP_NOT_FILE_TYPE] = "NotFileType",
		[POP_CAPABILITIES_GAINED] = "CapabilitiesGained",
		[POP_SPORT] = "SPort",
		[POP_NOT_SPORT] = "NotSPort",
		[POP_SPORT_PRIV] = "SPortPriv",
		[POP_NOT_SPORT_PRIV] = "NotSPortPriv",
		[POP_DPORT] = "DPort",
		[POP_NOT_DPORT] = "NotDPort",
		[POP_DPORT_PRIV] = "DPortPriv",
		[POP_NOT_DPORT_PRIV] = "NotDPortPriv",
		[POP_SADDR] = "SAddr",
		[POP_NOT_SADDR] = "NotSAddr",
		[POP_DADDR] = "DAddr",
		[POP_NOT_DADDR] = "NotDAddr",
		[POP_PROTOCOL] = "Protocol",
		[POP_FAMILY] = "Family",
		[POP_STATE] = "State",
	};

	return name_of(names, ARRAY_SIZE(names), (unsigned)op);
}

const char *policy_arg_type_name(enum policy_arg_type t)
{
	static const char *const names[] = {
		[PARG_AUTO] = "auto",
		[PARG_INT] = "int",
		[PARG_UINT32] = "uint32",
		[PARG_INT32] = "int32",
		[PARG_INT64] = "int64",
		[PARG_UINT64] = "uint64",
		[PARG_SIZE_T] = "size_t",
		[PARG_STRING] = "string",
		[PARG_CHAR_BUF] = "char_buf",
		[PARG_FD] = "fd",
		[PARG_FILE] = "file",
		[PARG_PATH] = "path",
		[PARG_FILENAME] = "filename",
		[PARG_LINUX_BINPRM] = "linux_binprm",
		[PARG_SOCK] = "sock",
		[PARG_SOCKADDR] = "sockaddr",
		[PARG_CRED] = "cred",
		[PARG_CAP_INHERITABLE] = "cap_inheritable",
		[PARG_CAP_PERMITTED] = "cap_permitted",
		[PARG_CAP_EFFECTIVE] = "cap_effective",
		[PARG_KERNEL_CAP_T] = "kernel_cap_t",
		[PARG_EXEC_ARGS] = "exec_args",
		[PARG_SYSCALL64] = "syscall64",
		[PARG_SKB] = "skb",
	};

	return name_of(names, ARRAY_SIZE(names), (unsigned)t);
}

const char *policy_ns_name(enum policy_ns ns)
{
	static const char *const names[] = {
		[PNS_UTS] = "Uts",
		[PNS_IPC] = "Ipc",
		[PNS_MNT] = "Mnt",
		[PNS_PID] = "Pid",
		[PNS_PID_FOR_CHILDREN] = "PidForChildren",
		[PNS_NET] = "Net",
		[PNS_TIME] = "Time",
		[PNS_TIME_FOR_CHILDREN] = "TimeForChildren",
		[PNS_CGROUP] = "Cgroup",
		[PNS_USER] = "User",
	};

	return name_of(names, ARRAY_SIZE(names), (unsigned)ns);
}

const char *policy_action_name(enum policy_action_kind k)
{
	static const char *const names[] = {
		[PACT_POST] = "Post",
		[PACT_NOPOST] = "NoPost",
		[PACT_SIGKILL] = "Sigkill",
		[PACT_SIGNAL] = "Signal",
		[PACT_OVERRIDE] = "Override",
	};

	return name_of(names, ARRAY_SIZE(names), (unsigned)k);
}

const char *policy_mode_name(enum policy_mode m)
{
	static const char *const names[] = {
		[POLICY_MODE_UNSET] = "unset",
		[POLICY_MODE_AUDIT] = "audit",
		[POLICY_MODE_ENFORCE] = "enforce",
	};

	return name_of(names, ARRAY_SIZE(names), (unsigned)m);
}
