// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tetragon TracingPolicy YAML -> struct policy.
 *
 * Each mapping of the format has a key table below: the keys rtenf handles,
 * the ones it accepts and drops, and the Tetragon keys it does not handle
 * yet, so a Tetragon policy is told "not supported yet" rather than
 * "unknown".  Enum tables work the same way for operators, types, actions.
 *
 * Errors are collected rather than stopping at the first, but a value that
 * could not be understood is not judged further (a binary path is checked
 * for "/" only once the operator is known to be In or NotIn), so one mistake
 * gives one message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_parse_scope.h"
#include "util.h"
#include "yaml_check.h"
#include "yaml_tree.h"

#define API_VERSION "cilium.io/v1alpha1"
#define MAX_NAME_LEN 253 /* Kubernetes object names (DNS-1123 subdomains) */
#define MAX_TAGS 16      /* as in Tetragon */
#define QBUF 80

#define NOT_YET(name) { (name), -1 }
#define SCHEMA(what, where, keys) { (what), (where), (keys), ARRAY_SIZE(keys) }

/* --- key tables ------------------------------------------------------------
 * Keys callers read come first, at their enum index; the rest follow. */

enum { TOP_API_VERSION, TOP_KIND, TOP_METADATA, TOP_SPEC };
static const struct ykey top_keys[] = {
	[TOP_API_VERSION] = { "apiVersion", YKEY_OK, true, NULL },
	[TOP_KIND] = { "kind", YKEY_OK, true, NULL },
	[TOP_METADATA] = { "metadata", YKEY_OK, true, NULL },
	[TOP_SPEC] = { "spec", YKEY_OK, true, NULL },
};

enum { META_NAME };
static const struct ykey metadata_keys[] = {
	[META_NAME] = { "name", YKEY_OK, true, NULL },
	{ "namespace", YKEY_IGNORED, false, NULL },
	{ "labels", YKEY_IGNORED, false, NULL },
	{ "annotations", YKEY_IGNORED, false, NULL },
};

#define SPEC_NOT_YET(key) { key, YKEY_UNSUPPORTED, false, "spec." key }
enum { SPEC_TRACEPOINTS, SPEC_KPROBES, SPEC_LSMHOOKS, SPEC_UPROBES, SPEC_LISTS, SPEC_OPTIONS, SPEC_MACROS };
static const struct ykey spec_keys[] = {
	[SPEC_TRACEPOINTS] = { "tracepoints", YKEY_OK, false, NULL },
	[SPEC_KPROBES] = { "kprobes", YKEY_OK, false, NULL },
	[SPEC_LSMHOOKS] = { "lsmhooks", YKEY_OK, false, NULL },
	[SPEC_UPROBES] = { "uprobes", YKEY_OK, false, NULL },
	[SPEC_LISTS] = { "lists", YKEY_OK, false, NULL },
	[SPEC_OPTIONS] = { "options", YKEY_OK, false, NULL },
	[SPEC_MACROS] = { "selectorsMacros", YKEY_OK, false, NULL },
	SPEC_NOT_YET("usdts"),
	SPEC_NOT_YET("fentries"),
	SPEC_NOT_YET("enforcers"),
	SPEC_NOT_YET("podSelector"),
	SPEC_NOT_YET("containerSelector"),
	SPEC_NOT_YET("hostSelector"),
	SPEC_NOT_YET("nodeSelector"),
	SPEC_NOT_YET("loader"),
};

enum { OPT_NAME, OPT_VALUE };
static const struct ykey option_keys[] = {
	[OPT_NAME] = { "name", YKEY_OK, true, NULL },
	[OPT_VALUE] = { "value", YKEY_OK, false, NULL },
};

enum { TP_SUBSYSTEM, TP_EVENT, TP_ARGS, TP_SELECTORS, TP_MESSAGE, TP_TAGS, TP_RAW, TP_DATA };
static const struct ykey tracepoint_keys[] = {
	[TP_SUBSYSTEM] = { "subsystem", YKEY_OK, true, NULL },
	[TP_EVENT] = { "event", YKEY_OK, true, NULL },
	[TP_ARGS] = { "args", YKEY_OK, false, NULL },
	[TP_SELECTORS] = { "selectors", YKEY_OK, false, NULL },
	[TP_MESSAGE] = { "message", YKEY_OK, false, NULL },
	[TP_TAGS] = { "tags", YKEY_OK, false, NULL },
	[TP_RAW] = { "raw", YKEY_OK, false, NULL },
	[TP_DATA] = { "data", YKEY_OK, false, NULL }, /* rtenf's: Tetragon has data on kprobes only */
};

enum { KP_CALL, KP_SYSCALL, KP_RETURN, KP_RETURN_ARG, KP_RETURN_ARG_ACTION, KP_ARGS, KP_SELECTORS, KP_MESSAGE,
       KP_TAGS, KP_IGNORE, KP_DATA };
static const struct ykey kprobe_keys[] = {
	[KP_CALL] = { "call", YKEY_OK, true, NULL },
	[KP_SYSCALL] = { "syscall", YKEY_OK, false, NULL },
	[KP_RETURN] = { "return", YKEY_OK, false, NULL },
	[KP_RETURN_ARG] = { "returnArg", YKEY_OK, false, NULL },
	[KP_RETURN_ARG_ACTION] = { "returnArgAction", YKEY_OK, false, NULL },
	[KP_ARGS] = { "args", YKEY_OK, false, NULL },
	[KP_SELECTORS] = { "selectors", YKEY_OK, false, NULL },
	[KP_MESSAGE] = { "message", YKEY_OK, false, NULL },
	[KP_TAGS] = { "tags", YKEY_OK, false, NULL },
	[KP_IGNORE] = { "ignore", YKEY_OK, false, NULL },
	[KP_DATA] = { "data", YKEY_OK, false, NULL },
};

enum { IGN_CALL_NOT_FOUND };
static const struct ykey ignore_keys[] = {
	[IGN_CALL_NOT_FOUND] = { "callNotFound", YKEY_OK, false, NULL },
};

enum { LSM_HOOK, LSM_ARGS, LSM_SELECTORS, LSM_MESSAGE, LSM_TAGS, LSM_DATA };
static const struct ykey lsm_keys[] = {
	[LSM_HOOK] = { "hook", YKEY_OK, true, NULL },
	[LSM_ARGS] = { "args", YKEY_OK, false, NULL },
	[LSM_SELECTORS] = { "selectors", YKEY_OK, false, NULL },
	[LSM_MESSAGE] = { "message", YKEY_OK, false, NULL },
	[LSM_TAGS] = { "tags", YKEY_OK, false, NULL },
	[LSM_DATA] = { "data", YKEY_OK, false, NULL },
};

/* symbols is required unless offsets or addrs stand in for it; those are
 * not supported yet, and saying so is enough (see parse_uprobe_symbols). */
enum { UP_PATH, UP_SYMBOLS, UP_ARGS, UP_SELECTORS, UP_MESSAGE, UP_TAGS, UP_OFFSETS, UP_ADDRS, UP_DATA };
static const struct ykey uprobe_keys[] = {
	[UP_PATH] = { "path", YKEY_OK, true, NULL },
	[UP_SYMBOLS] = { "symbols", YKEY_OK, false, NULL },
	[UP_ARGS] = { "args", YKEY_OK, false, NULL },
	[UP_SELECTORS] = { "selectors", YKEY_OK, false, NULL },
	[UP_MESSAGE] = { "message", YKEY_OK, false, NULL },
	[UP_TAGS] = { "tags", YKEY_OK, false, NULL },
	[UP_OFFSETS] = { "offsets", YKEY_UNSUPPORTED, false, NULL },
	[UP_ADDRS] = { "addrs", YKEY_UNSUPPORTED, false, NULL },
	[UP_DATA] = { "data", YKEY_OK, false, NULL },
	{ "refCtrOffsets", YKEY_UNSUPPORTED, false, NULL },
	{ "btfPath", YKEY_UNSUPPORTED, false, NULL },
	{ "preload", YKEY_UNSUPPORTED, false, NULL },
	{ "return", YKEY_UNSUPPORTED, false, "return on uprobes" },
	{ "returnArg", YKEY_UNSUPPORTED, false, "returnArg on uprobes" },
};

enum { LIST_NAME, LIST_TYPE, LIST_VALUES, LIST_PATTERN, LIST_VALIDATED };
static const struct ykey list_keys[] = {
	[LIST_NAME] = { "name", YKEY_OK, true, NULL },
	[LIST_TYPE] = { "type", YKEY_OK, false, NULL },
	[LIST_VALUES] = { "values", YKEY_OK, false, NULL }, /* required unless generated */
	[LIST_PATTERN] = { "pattern", YKEY_OK, false, NULL },
	[LIST_VALIDATED] = { "validated", YKEY_OK, false, NULL },
};

enum { ARG_INDEX, ARG_TYPE, ARG_SIZE_ARG_INDEX, ARG_RETURN_COPY, ARG_LABEL, ARG_MAX_DATA, ARG_RESOLVE };
static const struct ykey arg_keys[] = {
	[ARG_INDEX] = { "index", YKEY_OK, true, NULL },
	[ARG_TYPE] = { "type", YKEY_OK, false, NULL }, /* absent: auto, as in Tetragon */
	[ARG_SIZE_ARG_INDEX] = { "sizeArgIndex", YKEY_OK, false, NULL },
	[ARG_RETURN_COPY] = { "returnCopy", YKEY_OK, false, NULL },
	[ARG_LABEL] = { "label", YKEY_OK, false, NULL },
	[ARG_MAX_DATA] = { "maxData", YKEY_OK, false, NULL },
	[ARG_RESOLVE] = { "resolve", YKEY_OK, false, NULL }, /* checked in BTF by the compiler */
};

/* data: a value read from the current task when the hook runs.  Tetragon
 * has source current_task only, and so does rtenf. */
enum { DATA_INDEX, DATA_TYPE, DATA_SOURCE, DATA_RESOLVE, DATA_LABEL };
static const struct ykey data_keys[] = {
	[DATA_INDEX] = { "index", YKEY_OK, true, NULL },
	[DATA_TYPE] = { "type", YKEY_OK, true, NULL },
	[DATA_SOURCE] = { "source", YKEY_OK, true, NULL },
	[DATA_RESOLVE] = { "resolve", YKEY_OK, true, NULL },
	[DATA_LABEL] = { "label", YKEY_OK, false, NULL },
};

/* A kprobe's returnArg: an argument whose only use is its type.  Tetragon
 * requires an index there too and ignores it; so do we. */
enum { RA_INDEX, RA_TYPE, RA_LABEL };
static const struct ykey return_arg_keys[] = {
	[RA_INDEX] = { "index", YKEY_OK, false, NULL },
	[RA_TYPE] = { "type", YKEY_OK, true, NULL },
	[RA_LABEL] = { "label", YKEY_OK, false, NULL },
	{ "sizeArgIndex", YKEY_UNSUPPORTED, false, "sizeArgIndex in returnArg" },
	{ "returnCopy", YKEY_UNSUPPORTED, false, "returnCopy in returnArg" },
	{ "maxData", YKEY_UNSUPPORTED, false, "maxData in returnArg" },
	{ "resolve", YKEY_UNSUPPORTED, false, "resolve in returnArg" },
};

enum { SEL_PIDS, SEL_NAMESPACES, SEL_BINARIES, SEL_ARGS, SEL_ACTIONS, SEL_RETURN_ARGS, SEL_CAPS, SEL_CAP_CHANGES,
       SEL_NS_CHANGES, SEL_PARENT_BINARIES, SEL_MACROS, SEL_LABEL, SEL_DATA };
static const struct ykey selector_keys[] = {
	[SEL_PIDS] = { "matchPIDs", YKEY_OK, false, NULL },
	[SEL_NAMESPACES] = { "matchNamespaces", YKEY_OK, false, NULL },
	[SEL_BINARIES] = { "matchBinaries", YKEY_OK, false, NULL },
	[SEL_ARGS] = { "matchArgs", YKEY_OK, false, NULL },
	[SEL_ACTIONS] = { "matchActions", YKEY_OK, false, NULL },
	[SEL_RETURN_ARGS] = { "matchReturnArgs", YKEY_OK, false, NULL },
	[SEL_CAPS] = { "matchCapabilities", YKEY_OK, false, NULL },
	[SEL_CAP_CHANGES] = { "matchCapabilityChanges", YKEY_OK, false, NULL },
	[SEL_NS_CHANGES] = { "matchNamespaceChanges", YKEY_OK, false, NULL },
	[SEL_PARENT_BINARIES] = { "matchParentBinaries", YKEY_OK, false, NULL },
	[SEL_MACROS] = { "macros", YKEY_OK, false, NULL },
	[SEL_LABEL] = { "label", YKEY_OK, false, NULL },
	[SEL_DATA] = { "matchData", YKEY_OK, false, NULL },
	{ "matchReturnActions", YKEY_UNSUPPORTED, false, NULL },
};

enum { PID_OPERATOR, PID_VALUES, PID_FOLLOW_FORKS, PID_IS_NS_PID };
static const struct ykey pids_keys[] = {
	[PID_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[PID_VALUES] = { "values", YKEY_OK, true, NULL },
	[PID_FOLLOW_FORKS] = { "followForks", YKEY_OK, false, NULL },
	[PID_IS_NS_PID] = { "isNamespacePID", YKEY_OK, false, NULL },
};

enum { NS_NAMESPACE, NS_OPERATOR, NS_VALUES };
static const struct ykey namespaces_keys[] = {
	[NS_NAMESPACE] = { "namespace", YKEY_OK, true, NULL },
	[NS_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[NS_VALUES] = { "values", YKEY_OK, true, NULL },
};

enum { CAPS_TYPE, CAPS_OPERATOR, CAPS_VALUES, CAPS_IS_NS };
static const struct ykey caps_keys[] = {
	[CAPS_TYPE] = { "type", YKEY_OK, false, NULL }, /* default Effective */
	[CAPS_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[CAPS_VALUES] = { "values", YKEY_OK, true, NULL },
	[CAPS_IS_NS] = { "isNamespaceCapability", YKEY_OK, false, NULL },
};

enum { NSC_OPERATOR, NSC_VALUES };
static const struct ykey ns_changes_keys[] = {
	[NSC_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[NSC_VALUES] = { "values", YKEY_OK, true, NULL },
};

enum { BIN_OPERATOR, BIN_VALUES, BIN_FOLLOW_CHILDREN };
static const struct ykey binaries_keys[] = {
	[BIN_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[BIN_VALUES] = { "values", YKEY_OK, true, NULL },
	[BIN_FOLLOW_CHILDREN] = { "followChildren", YKEY_OK, false, NULL },
};

/* index is required unless args names the argument; values unless the
 * operator is CapabilitiesGained, which compares two arguments: both are
 * checked in parse_match_args(). */
enum { MARG_INDEX, MARG_OPERATOR, MARG_VALUES, MARG_ARGS };
static const struct ykey match_args_keys[] = {
	[MARG_INDEX] = { "index", YKEY_OK, false, NULL },
	[MARG_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[MARG_VALUES] = { "values", YKEY_OK, false, NULL },
	[MARG_ARGS] = { "args", YKEY_OK, false, NULL },
};

/* matchReturnArgs: the matchArgs shape; there is one return value, so an
 * index, which Tetragon policies often carry, is accepted and ignored. */
static const struct ykey match_return_args_keys[] = {
	[MARG_INDEX] = { "index", YKEY_OK, false, NULL },
	[MARG_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[MARG_VALUES] = { "values", YKEY_OK, true, NULL },
	[MARG_ARGS] = { "args", YKEY_UNSUPPORTED, false, "args in matchReturnArgs" },
};
/* matchData: the matchArgs shape on the hook's data entries; index names
 * one, so args (positions) has no meaning here. */
static const struct ykey match_data_keys[] = {
	[MARG_INDEX] = { "index", YKEY_OK, true, NULL },
	[MARG_OPERATOR] = { "operator", YKEY_OK, true, NULL },
	[MARG_VALUES] = { "values", YKEY_OK, true, NULL },
	[MARG_ARGS] = { "args", YKEY_UNSUPPORTED, false, "args in matchData" },
};
_Static_assert(ARRAY_SIZE(match_args_keys) == ARRAY_SIZE(match_return_args_keys) &&
		       ARRAY_SIZE(match_args_keys) == ARRAY_SIZE(match_data_keys),
	       "parse_match_args() fills one yfield array for all three");

/* kernelStackTrace and userStackTrace: Post puts the stack in the event
 * (parse_stack_flag); imaHash: false is what rtenf does, true is refused
 * (parse_post_flag). */
enum { ACT_ACTION, ACT_ARG_SIG, ACT_ARG_ERROR, ACT_RATE_LIMIT, ACT_RATE_LIMIT_SCOPE, ACT_KSTACK, ACT_USTACK,
       ACT_IMA_HASH };
static const struct ykey action_keys[] = {
	[ACT_ACTION] = { "action", YKEY_OK, true, NULL },
	[ACT_ARG_SIG] = { "argSig", YKEY_OK, false, NULL },
	[ACT_ARG_ERROR] = { "argError", YKEY_OK, false, NULL },
	[ACT_RATE_LIMIT] = { "rateLimit", YKEY_OK, false, NULL },
	[ACT_RATE_LIMIT_SCOPE] = { "rateLimitScope", YKEY_OK, false, NULL },
	[ACT_KSTACK] = { "kernelStackTrace", YKEY_OK, false, NULL },
	[ACT_USTACK] = { "userStackTrace", YKEY_OK, false, NULL },
	[ACT_IMA_HASH] = { "imaHash", YKEY_OK, false, NULL },
	{ "argFd", YKEY_UNSUPPORTED, false, NULL },
	{ "argName", YKEY_UNSUPPORTED, false, NULL },
	{ "argUrl", YKEY_UNSUPPORTED, false, NULL },
	{ "argFqdn", YKEY_UNSUPPORTED, false, NULL },
	{ "argSock", YKEY_UNSUPPORTED, false, NULL },
};

/* Tetragon's rateLimitScope values (exact, lower case). */
static const struct yenum rate_limit_scopes[] = {
	{ "thread", PRATE_THREAD },
	{ "process", PRATE_PROCESS },
	{ "global", PRATE_GLOBAL },
};

static const struct yschema top_schema = SCHEMA("the document", "at the top level", top_keys);
static const struct yschema metadata_schema = SCHEMA("\"metadata\"", "in metadata", metadata_keys);
static const struct yschema spec_schema = SCHEMA("\"spec\"", "in spec", spec_keys);
static const struct yschema option_schema = SCHEMA("each option", "in option", option_keys);
static const struct yschema tracepoint_schema = SCHEMA("each tracepoint", "in tracepoint", tracepoint_keys);
static const struct yschema arg_schema = SCHEMA("each argument", "in argument", arg_keys);
static const struct yschema selector_schema = SCHEMA("each selector", "in selector", selector_keys);
static const struct yschema pids_schema = SCHEMA("each matchPIDs entry", "in matchPIDs", pids_keys);
static const struct yschema namespaces_schema =
	SCHEMA("each matchNamespaces entry", "in matchNamespaces", namespaces_keys);
static const struct yschema binaries_schema = SCHEMA("each matchBinaries entry", "in matchBinaries", binaries_keys);
static const struct yschema parent_binaries_schema =
	SCHEMA("each matchParentBinaries entry", "in matchParentBinaries", binaries_keys);
static const struct yschema caps_schema = SCHEMA("each matchCapabilities entry", "in matchCapabilities", caps_keys);
static const struct yschema cap_changes_schema =
	SCHEMA("each matchCapabilityChanges entry", "in matchCapabilityChanges", caps_keys);
static const struct yschema ns_changes_schema =
	SCHEMA("each matchNamespaceChanges entry", "in matchNamespaceChanges", ns_changes_keys);
static const struct yschema match_args_schema = SCHEMA("each matchArgs entry", "in matchArgs", match_args_keys);
static const struct yschema action_schema = SCHEMA("each matchActions entry", "in matchActions", action_keys);
static const struct yschema match_return_args_schema =
	SCHEMA("each matchReturnArgs entry", "in matchReturnArgs", match_return_args_keys);
static const struct yschema match_data_schema = SCHEMA("each matchData entry", "in matchData", match_data_keys);
static const struct yschema data_schema = SCHEMA("each data entry", "in data", data_keys);
static const struct yschema kprobe_schema = SCHEMA("each kprobe", "in kprobe", kprobe_keys);
static const struct yschema return_arg_schema = SCHEMA("\"returnArg\"", "in returnArg", return_arg_keys);
static const struct yschema ignore_schema = SCHEMA("\"ignore\"", "in ignore", ignore_keys);
static const struct yschema lsm_schema = SCHEMA("each LSM hook", "in lsmhook", lsm_keys);
static const struct yschema uprobe_schema = SCHEMA("each uprobe", "in uprobe", uprobe_keys);
static const struct yschema list_schema = SCHEMA("each list", "in list", list_keys);

/* --- enum tables ------------------------------------------------------------ */

enum { OPTION_POLICY_MODE, OPTION_CGROUP_PATHS, OPTION_CONTAINER_IDS };
static const struct yenum option_names[] = {
	{ "policy-mode", OPTION_POLICY_MODE },
	{ "cgroup-paths", OPTION_CGROUP_PATHS },   /* rtenf's: see policy_parse_scope.c */
	{ "container-ids", OPTION_CONTAINER_IDS },
	NOT_YET("disable-kprobe-multi"),
	NOT_YET("disable-uprobe-multi"),
	NOT_YET("uprobe-heap-size"),
};

static const struct yenum policy_modes[] = {
	{ "enforce", POLICY_MODE_ENFORCE },
	{ "audit", POLICY_MODE_AUDIT },
	{ "monitor", POLICY_MODE_AUDIT }, /* Tetragon's word for audit */
};

static const struct yenum arg_types[] = {
	{ "auto", PARG_AUTO },
	{ "int", PARG_INT },
	{ "uint32", PARG_UINT32 },
	{ "int32", PARG_INT32 },
	{ "int64", PARG_INT64 },
	{ "uint64", PARG_UINT64 },
	{ "size_t", PARG_SIZE_T },
	{ "string", PARG_STRING },
	{ "char_buf", PARG_CHAR_BUF },
	{ "fd", PARG_FD },
	{ "file", PARG_FILE },
	{ "path", PARG_PATH },
	{ "filename", PARG_FILENAME },
	{ "linux_binprm", PARG_LINUX_BINPRM },
	{ "sock", PARG_SOCK },
	{ "sockaddr", PARG_SOCKADDR },
	{ "skb", PARG_SKB },
	{ "cred", PARG_CRED },
	{ "cap_inheritable", PARG_CAP_INHERITABLE },
	{ "cap_permitted", PARG_CAP_PERMITTED },
	{ "cap_effective", PARG_CAP_EFFECTIVE },
	{ "kernel_cap_t", PARG_KERNEL_CAP_T },
	{ "exec_args", PARG_EXEC_ARGS }, /* rtenf's own */
	{ "syscall64", PARG_SYSCALL64 },
	/* Tetragon's other spellings of the same types */
	{ "sint32", PARG_INT32 },
	{ "long", PARG_INT64 },
	{ "sint64", PARG_INT64 },
	{ "ulong", PARG_UINT64 },
	NOT_YET("int8"), NOT_YET("sint8"), NOT_YET("uint8"), NOT_YET("int16"), NOT_YET("sint16"),
	NOT_YET("uint16"), NOT_YET("char_iovec"), NOT_YET("const_buf"), NOT_YET("socket"),
	NOT_YET("nop"), NOT_YET("bpf_attr"), NOT_YET("perf_event"), NOT_YET("bpf_map"),
	NOT_YET("user_namespace"), NOT_YET("capability"), NOT_YET("kiocb"), NOT_YET("iov_iter"),
	NOT_YET("load_info"), NOT_YET("module"), NOT_YET("data_loc"), NOT_YET("net_device"), NOT_YET("bpf_cmd"),
	NOT_YET("dentry"), NOT_YET("bpf_prog"),
};

/* Compared case-insensitively, as Tetragon does. */
static const struct yenum caps_types[] = {
	{ "Effective", PCAPS_EFFECTIVE },
	{ "Inheritable", PCAPS_INHERITABLE },
	{ "Permitted", PCAPS_PERMITTED },
};

static const struct yenum in_not_in[] = {
	{ "In", POP_IN },
	{ "NotIn", POP_NOT_IN },
};

static const struct yenum binary_ops[] = {
	{ "In", POP_IN },
	{ "NotIn", POP_NOT_IN },
	{ "Prefix", POP_PREFIX },
	{ "NotPrefix", POP_NOT_PREFIX },
	{ "Postfix", POP_POSTFIX },
	{ "NotPostfix", POP_NOT_POSTFIX },
};

static const struct yenum arg_ops[] = {
	{ "Equal", POP_EQUAL },
	{ "NotEqual", POP_NOT_EQUAL },
	{ "Prefix", POP_PREFIX },
	{ "NotPrefix", POP_NOT_PREFIX },
	{ "Postfix", POP_POSTFIX },
	{ "NotPostfix", POP_NOT_POSTFIX },
	{ "GT", POP_GT },
	{ "GreaterThan", POP_GT },
	{ "LT", POP_LT },
	{ "LessThan", POP_LT },
	{ "Mask", POP_MASK },
	/* sock, sockaddr and skb arguments; the compiler decides which fit */
	{ "SPort", POP_SPORT },
	{ "NotSPort", POP_NOT_SPORT },
	{ "SPortPriv", POP_SPORT_PRIV },
	{ "NotSPortPriv", POP_NOT_SPORT_PRIV },
	{ "NotSportPriv", POP_NOT_SPORT_PRIV }, /* sic: the spelling Tetragon's CRD uses */
	{ "DPort", POP_DPORT },
	{ "NotDPort", POP_NOT_DPORT },
	{ "DPortPriv", POP_DPORT_PRIV },
	{ "NotDPortPriv", POP_NOT_DPORT_PRIV },
	{ "SAddr", POP_SADDR },
	{ "NotSAddr", POP_NOT_SADDR },
	{ "DAddr", POP_DADDR },
	{ "NotDAddr", POP_NOT_DADDR },
	{ "Protocol", POP_PROTOCOL },
	{ "Family", POP_FAMILY },
	{ "State", POP_STATE },
	{ "InMap", POP_IN_MAP },
	{ "NotInMap", POP_NOT_IN_MAP },
	{ "InRange", POP_IN_RANGE },
	{ "NotInRange", POP_NOT_IN_RANGE },
	{ "SubString", POP_SUBSTRING },
	{ "SubStringIgnCase", POP_SUBSTRING_IGN_CASE },
	{ "FileType", POP_FILE_TYPE },
	{ "NotFileType", POP_NOT_FILE_TYPE },
	{ "CapabilitiesGained", POP_CAPABILITIES_GAINED },
};

static const struct yenum namespaces[] = {
	{ "Uts", PNS_UTS },
	{ "Ipc", PNS_IPC },
	{ "Mnt", PNS_MNT },
	{ "Pid", PNS_PID },
	{ "PidForChildren", PNS_PID_FOR_CHILDREN },
	{ "Net", PNS_NET },
	{ "Time", PNS_TIME },
	{ "TimeForChildren", PNS_TIME_FOR_CHILDREN },
	{ "Cgroup", PNS_CGROUP },
	{ "User", PNS_USER },
};

/* Compared case-insensitively: Tetragon accepts "sigkill" as well. */
static const struct yenum actions[] = {
	{ "Post", PACT_POST },
	{ "NoPost", PACT_NOPOST },
	{ "Sigkill", PACT_SIGKILL },
	{ "Signal", PACT_SIGNAL },
	{ "Override", PACT_OVERRIDE },
	NOT_YET("FollowFD"), NOT_YET("UnfollowFD"), NOT_YET("CopyFD"), NOT_YET("GetUrl"),
	NOT_YET("DnsLookup"), NOT_YET("TrackSock"), NOT_YET("UntrackSock"), NOT_YET("NotifyEnforcer"),
	NOT_YET("Set"), NOT_YET("CleanupEnforcerNotification"),
};

/* returnArgAction.  Post is what a kretprobe does anyway: nothing to keep. */
static const struct yenum return_arg_actions[] = {
	{ "Post", 0 },
	NOT_YET("TrackSock"),
	NOT_YET("UntrackSock"),
};

/* spec.lists[].type; Tetragon compares them case-insensitively.  Generated
 * lists get their values from the kernel (its syscalls, or the functions
 * of available_filter_functions a pattern matches). */
enum list_type { LT_PLAIN, LT_SYSCALLS, LT_GENERATED_SYSCALLS, LT_GENERATED_FTRACE };
static const struct yenum list_types[] = {
	{ "syscalls", LT_SYSCALLS },
	{ "generated_syscalls", LT_GENERATED_SYSCALLS },
	{ "generated_ftrace", LT_GENERATED_FTRACE },
};

/* --- helpers ---------------------------------------------------------------- */

static size_t list_len(const struct ynode *seq)
{
	return seq ? seq->n_items : 0;
}

/* The list under f, or NULL when absent, empty or not a list (reported). */
static const struct ynode *list_field(struct ycheck *c, const struct yfield *f)
{
	const struct ynode *seq;

	return ycheck_list(c, f, &seq) ? seq : NULL;
}

static bool parse_uint32(struct ycheck *c, const struct yfield *f, bool required, unsigned *out)
{
	long long n;

	if (!ycheck_int(c, f, required, 0, UINT32_MAX, &n))
		return false;
	*out = (unsigned)n;
	return true;
}

/* An operator from ops, with its location for the compiler's messages. */
static bool parse_op(struct ycheck *c, const struct yfield *f, const struct yenum *ops, size_t n, const char *what,
		     enum policy_op *op, struct src_loc *loc)
{
	int v;

	if (f->val)
		*loc = f->val->loc;
	if (!ycheck_enum(c, f, true, ops, n, what, 0, &v))
		return false;
	*op = (enum policy_op)v;
	return true;
}

/* A scalar item of a list of strings (values, tags), or NULL (reported). */
static const char *item_text(struct ycheck *c, const struct ynode *item, const char *list)
{
	char q[QBUF];

	if (item->kind != YNODE_SCALAR) {
		ycheck_error(c, item->loc, "expected a single value in \"%s\", found %s", list,
			     ycheck_describe(q, sizeof(q), item));
		return NULL;
	}
	if (ynode_is_null(item)) {
		/* "" is a value to compare with; a tag must say something */
		ycheck_error(c, item->loc, "empty item in \"%s\"%s", list,
			     strcmp(list, "values") ? "" : "; write \"\" for an empty string");
		return NULL;
	}
	return item->text;
}

/* "values": a non-empty list of scalars, kept as text (the compiler knows
 * the types they compare against).  Returns false when some are missing. */
static bool parse_values(struct ycheck *c, const struct yfield *f, struct policy_value_list *out)
{
	const struct ynode *seq;
	bool ok = true;

	if (!f->key || !ycheck_list(c, f, &seq))
		return false;
	out->loc = seq ? seq->loc : f->key->loc;
	if (!list_len(seq)) {
		ycheck_error(c, out->loc, "empty list for \"values\"; give at least one value");
		return false;
	}
	for (size_t i = 0; i < seq->n_items && !ycheck_full(c); i++) {
		const char *text = item_text(c, seq->items[i], "values");
		struct policy_value *v;

		if (!text) {
			ok = false;
			continue;
		}
		v = VEC_PUSH(out->v, out->n);
		v->text = xstrdup(text);
		v->loc = seq->items[i]->loc;
	}
	return ok;
}

/* Decimal digits only, at most 4294967295: pids and namespace inodes. */
static bool is_uint32_text(const char *s)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	return true;
}

/* A name in a list of names (tags, symbols, functions): a non-empty scalar,
 * or NULL (reported).  what names one item: "empty tag in \"tags\"". */
static const char *name_item(struct ycheck *c, const struct ynode *item, const char *list, const char *what)
{
	const char *text;

	if (item->kind == YNODE_SCALAR && ynode_is_null(item)) {
		ycheck_error(c, item->loc, "empty item in \"%s\"", list);
		return NULL;
	}
	text = item_text(c, item, list);
	if (text && !*text) {
		ycheck_error(c, item->loc, "empty %s in \"%s\"", what, list);
		return NULL;
	}
	return text;
}

/* The sequence under f when it must name at least one thing (what), or
 * NULL: absent, or empty or not a list (reported). */
static const struct ynode *name_list(struct ycheck *c, const struct yfield *f, const char *what)
{
	const struct ynode *seq;

	if (!f->key || !ycheck_list(c, f, &seq))
		return NULL;
	if (!list_len(seq)) {
		ycheck_error(c, seq ? seq->loc : f->key->loc, "empty list for \"%s\"; give at least one %s",
			     f->key->text, what);
		return NULL;
	}
	return seq;
}

/* An optional string, copied; NULL when absent. */
static char *optional_string(struct ycheck *c, const struct yfield *f)
{
	const char *s = ycheck_string(c, f, false);

	return s ? xstrdup(s) : NULL;
}

static bool is_ident_char(char ch, bool first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (!first && ch >= '0' && ch <= '9');
}

/* C identifiers: LSM hook names. */
static bool is_identifier(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!is_ident_char(*p, p == s))
			return false;
	return *s;
}

/* Kernel function names as kallsyms spells them: identifiers, plus "."
 * for the compiler's clones (tcp_v4_connect.cold, foo.isra.0). */
static bool is_kernel_symbol(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!is_ident_char(*p, false) && *p != '.')
			return false;
	return *s;
}

/* --- selectors ---------------------------------------------------------------- */

static void parse_match_pids(struct ycheck *c, struct policy_match_pids *m, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(pids_keys)];
	char q[QBUF];

	m->loc = node->loc;
	if (!ycheck_mapping(c, &pids_schema, node, NULL, f))
		return;
	parse_op(c, &f[PID_OPERATOR], in_not_in, ARRAY_SIZE(in_not_in), "matchPIDs operator", &m->op, &m->op_loc);
	ycheck_bool(c, &f[PID_FOLLOW_FORKS], &m->follow_forks);
	ycheck_bool(c, &f[PID_IS_NS_PID], &m->is_namespace_pid);
	parse_values(c, &f[PID_VALUES], &m->values);
	for (size_t i = 0; i < m->values.n; i++)
		if (!is_uint32_text(m->values.v[i].text))
			ycheck_error(c, m->values.v[i].loc,
				     "matchPIDs value must be a process id (0 to 4294967295), not \"%s\"",
				     yaml_escape(q, sizeof(q), m->values.v[i].text));
}

static void parse_match_namespaces(struct ycheck *c, struct policy_match_namespaces *m, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(namespaces_keys)];
	char q[QBUF];
	int ns;

	m->loc = node->loc;
	if (!ycheck_mapping(c, &namespaces_schema, node, NULL, f))
		return;
	if (ycheck_enum(c, &f[NS_NAMESPACE], true, namespaces, ARRAY_SIZE(namespaces), "namespace", 0, &ns))
		m->ns = (enum policy_ns)ns;
	parse_op(c, &f[NS_OPERATOR], in_not_in, ARRAY_SIZE(in_not_in), "matchNamespaces operator", &m->op,
		 &m->op_loc);
	parse_values(c, &f[NS_VALUES], &m->values);
	for (size_t i = 0; i < m->values.n; i++) {
		const char *v = m->values.v[i].text;

		if (!is_uint32_text(v) && strcmp(v, "host_ns"))
			ycheck_error(c, m->values.v[i].loc,
				     "matchNamespaces value must be a namespace inode number or host_ns, not \"%s\"",
				     yaml_escape(q, sizeof(q), v));
	}
}

/* matchBinaries, or with parent matchParentBinaries (the same shape). */
static void parse_match_binaries(struct ycheck *c, struct policy_match_binaries *m, const struct ynode *node,
				 bool parent)
{
	const char *what = parent ? "matchParentBinaries" : "matchBinaries";
	struct yfield f[ARRAY_SIZE(binaries_keys)];
	char q[QBUF], opname[64];

	m->loc = node->loc;
	if (!ycheck_mapping(c, parent ? &parent_binaries_schema : &binaries_schema, node, NULL, f))
		return;
	snprintf(opname, sizeof(opname), "%s operator", what);
	if (!parse_op(c, &f[BIN_OPERATOR], binary_ops, ARRAY_SIZE(binary_ops), opname, &m->op, &m->op_loc))
		return;
	if (ycheck_bool(c, &f[BIN_FOLLOW_CHILDREN], &m->follow_children) && m->follow_children) {
		if (parent)
			ycheck_error(c, f[BIN_FOLLOW_CHILDREN].val->loc,
				     "not supported yet: followChildren in matchParentBinaries");
		else if (m->op != POP_IN && m->op != POP_NOT_IN)
			ycheck_error(c, f[BIN_FOLLOW_CHILDREN].val->loc,
				     "followChildren works with In and NotIn, not %s (as in Tetragon)",
				     policy_op_name(m->op));
	}
	parse_values(c, &f[BIN_VALUES], &m->values);
	/* In and NotIn compare whole paths; the others take fragments. */
	if (m->op != POP_IN && m->op != POP_NOT_IN)
		return;
	for (size_t i = 0; i < m->values.n; i++)
		if (m->values.v[i].text[0] != '/')
			ycheck_error(c, m->values.v[i].loc,
				     "%s value must be an absolute path (starting with \"/\"), not \"%s\"", what,
				     yaml_escape(q, sizeof(q), m->values.v[i].text));
}

/* Tetragon's args: positions in the hook's args list (0-based); the first
 * names the argument, CapabilitiesGained takes a second. */
static void parse_arg_positions(struct ycheck *c, struct policy_match_args *m, const struct yfield *f)
{
	const struct ynode *seq;
	char q[QBUF];

	if (!f->key || !ycheck_list(c, f, &seq))
		return;
	m->positions_loc = f->key->loc;
	if (!list_len(seq)) {
		ycheck_error(c, seq ? seq->loc : f->key->loc, "empty list for \"args\"; give the argument's position");
		return;
	}
	for (size_t i = 0; i < seq->n_items; i++) {
		const char *text = item_text(c, seq->items[i], "args");

		if (!text)
			return;
		if (!is_uint32_text(text) || strlen(text) > 3) {
			ycheck_error(c, seq->items[i]->loc, "args value must be a position in the hook's args (0, 1, ...), "
				     "not \"%s\"", yaml_escape(q, sizeof(q), text));
			return;
		}
		if (m->n_positions < ARRAY_SIZE(m->positions))
			m->positions[m->n_positions] = (unsigned)strtoul(text, NULL, 10);
		m->n_positions++;
	}
	if (m->n_positions > ARRAY_SIZE(m->positions)) {
		ycheck_error(c, seq->loc, "args names at most %zu arguments, not %zu", ARRAY_SIZE(m->positions),
			     m->n_positions);
		m->n_positions = ARRAY_SIZE(m->positions);
	}
}

/* matchCapabilities, or with changes matchCapabilityChanges.  Capability
 * names are checked by the compiler, which knows them. */
static void parse_match_caps(struct ycheck *c, struct policy_match_caps *m, const struct ynode *node, bool changes)
{
	struct yfield f[ARRAY_SIZE(caps_keys)];
	int type = PCAPS_EFFECTIVE;

	m->loc = node->loc;
	m->type = PCAPS_EFFECTIVE;
	if (!ycheck_mapping(c, changes ? &cap_changes_schema : &caps_schema, node, NULL, f))
		return;
	if (ycheck_enum(c, &f[CAPS_TYPE], false, caps_types, ARRAY_SIZE(caps_types), "capability set type",
			YENUM_NOCASE, &type))
		m->type = (enum policy_caps_type)type;
	parse_op(c, &f[CAPS_OPERATOR], in_not_in, ARRAY_SIZE(in_not_in),
		 changes ? "matchCapabilityChanges operator" : "matchCapabilities operator", &m->op, &m->op_loc);
	ycheck_bool(c, &f[CAPS_IS_NS], &m->is_namespace_capability);
	parse_values(c, &f[CAPS_VALUES], &m->values);
}

/* matchNamespaceChanges: which namespaces are checked by the compiler. */
static void parse_match_ns_changes(struct ycheck *c, struct policy_match_ns_changes *m, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(ns_changes_keys)];

	m->loc = node->loc;
	if (!ycheck_mapping(c, &ns_changes_schema, node, NULL, f))
		return;
	parse_op(c, &f[NSC_OPERATOR], in_not_in, ARRAY_SIZE(in_not_in), "matchNamespaceChanges operator", &m->op,
		 &m->op_loc);
	parse_values(c, &f[NSC_VALUES], &m->values);
}

/* matchArgs, or with ret matchReturnArgs, whose index is optional and
 * unused (there is one return value). */
enum match_kind { MATCH_ARGS, MATCH_RETURN_ARGS, MATCH_DATA };

static void parse_match_args(struct ycheck *c, struct policy_match_args *m, const struct ynode *node,
			     enum match_kind kind)
{
	static const struct yschema *const schemas[] = {
		[MATCH_ARGS] = &match_args_schema,
		[MATCH_RETURN_ARGS] = &match_return_args_schema,
		[MATCH_DATA] = &match_data_schema,
	};
	static const char *const whats[] = {
		[MATCH_ARGS] = "matchArgs operator",
		[MATCH_RETURN_ARGS] = "matchReturnArgs operator",
		[MATCH_DATA] = "matchData operator",
	};
	const struct yschema *schema = schemas[kind];
	const char *what = whats[kind];
	/* matchReturnArgs and matchData schemas require their values */
	bool ret = kind != MATCH_ARGS;
	struct yfield f[ARRAY_SIZE(match_args_keys)];

	m->loc = node->loc;
	if (!ycheck_mapping(c, schema, node, NULL, f))
		return;
	if (f[MARG_INDEX].val)
		m->index_loc = f[MARG_INDEX].val->loc;
	if (!ret)
		parse_arg_positions(c, m, &f[MARG_ARGS]);
	if (!ret && !f[MARG_INDEX].key && !f[MARG_ARGS].key)
		ycheck_missing(c, schema, f, MARG_INDEX, node->loc, NULL);
	parse_uint32(c, &f[MARG_INDEX], false, &m->index);
	if (!parse_op(c, &f[MARG_OPERATOR], arg_ops, ARRAY_SIZE(arg_ops), what, &m->op, &m->op_loc))
		return;
	if (m->op == POP_CAPABILITIES_GAINED && kind == MATCH_RETURN_ARGS) {
		ycheck_error(c, m->op_loc, "CapabilitiesGained compares two arguments: matchReturnArgs has only the "
			     "return value");
		return;
	}
	if (m->op == POP_CAPABILITIES_GAINED && kind == MATCH_DATA) {
		ycheck_error(c, m->op_loc, "CapabilitiesGained compares two capability arguments: use it in matchArgs");
		return;
	}
	if (m->op == POP_CAPABILITIES_GAINED) {
		/* it compares two arguments; its values would be ignored */
		if (f[MARG_VALUES].key)
			ycheck_error(c, f[MARG_VALUES].key->loc,
				     "CapabilitiesGained takes no values: it compares the two arguments args names");
		if (m->n_positions != 2)
			ycheck_error(c, f[MARG_ARGS].key ? f[MARG_ARGS].key->loc : m->op_loc,
				     "CapabilitiesGained needs args: [OLD, NEW], the positions in the hook's args of two "
				     "capability arguments");
		return;
	}
	if (m->n_positions > 1)
		ycheck_error(c, f[MARG_ARGS].key->loc, "args names one argument, except for CapabilitiesGained");
	if (!f[MARG_VALUES].key && !ret) /* matchReturnArgs: its schema requires values */
		ycheck_missing(c, schema, f, MARG_VALUES, node->loc, NULL);
	else
		parse_values(c, &f[MARG_VALUES], &m->values);
}

/* "30", "30s", "5m", "2h" (any case), as Tetragon: milliseconds, at most
 * what 32 bits hold.  0 means no limit. */
static bool rate_limit_ms(const char *s, unsigned *ms)
{
	unsigned long long n, mult = 1000;
	size_t len = strlen(s);
	char *end;

	if (!len || s[0] < '0' || s[0] > '9')
		return false;
	switch (s[len - 1]) {
	case 's': case 'S':
		len--;
		break;
	case 'm': case 'M':
		mult = 60 * 1000;
		len--;
		break;
	case 'h': case 'H':
		mult = 60 * 60 * 1000;
		len--;
		break;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || (size_t)(end - s) != len || n > UINT32_MAX)
		return false;
	*ms = n * mult > UINT32_MAX ? UINT32_MAX : (unsigned)(n * mult);
	return true;
}

/* rateLimit and rateLimitScope: only on Post, the scope only with a limit. */
static void parse_rate_limit(struct ycheck *c, struct policy_action *a, const struct yfield *f)
{
	const struct yfield *limit = &f[ACT_RATE_LIMIT], *scope = &f[ACT_RATE_LIMIT_SCOPE];
	const char *s;
	char q[QBUF];
	int v;

	if (limit->key && a->kind != PACT_POST) {
		ycheck_error(c, limit->key->loc, "rateLimit applies to the Post action only, not %s",
			     policy_action_name(a->kind));
		return;
	}
	if (scope->key && !limit->key) {
		ycheck_error(c, scope->key->loc, "rateLimitScope needs rateLimit, the time to wait between events");
		return;
	}
	s = ycheck_string(c, limit, true);
	if (!s)
		return;
	if (!rate_limit_ms(s, &a->rate_limit_ms)) {
		ycheck_error(c, limit->val->loc,
			     "rateLimit \"%s\" is not a time: write seconds, or a number with s, m or h (e.g. 30s, 5m, 1h)",
			     yaml_escape(q, sizeof(q), s));
		return;
	}
	a->has_rate_limit = true;
	a->rate_limit_loc = limit->val->loc;
	if (ycheck_enum(c, scope, false, rate_limit_scopes, ARRAY_SIZE(rate_limit_scopes), "rateLimitScope", 0, &v))
		a->rate_limit_scope = (enum policy_rate_scope)v;
}

/* A Post flag rtenf does not do: accepted when false.  imaHash: rtenf's
 * events have no field for it, so true is refused plainly rather than
 * ignored. */
static void parse_post_flag(struct ycheck *c, const struct yfield *f, const char *name, const char *what)
{
	bool on;

	if (ycheck_bool(c, f, &on) && on)
		ycheck_error(c, f->val->loc, "not supported: %s: rtenf events carry no %s; set it to false or remove it",
			     name, what);
}

/* kernelStackTrace / userStackTrace: only Post makes an event to carry the
 * stack, so true on another action is a mistake worth reporting. */
static void parse_stack_flag(struct ycheck *c, const struct policy_action *a, const struct yfield *f, const char *name,
			     bool *out)
{
	bool on;

	if (!ycheck_bool(c, f, &on) || !on)
		return;
	if (a->kind != PACT_POST) {
		ycheck_error(c, f->key->loc, "%s applies to the Post action only, not %s: only Post makes an event to carry the stack",
			     name, policy_action_name(a->kind));
		return;
	}
	*out = true;
}

static void parse_action(struct ycheck *c, struct policy_action *a, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(action_keys)];
	long long n;
	int kind;

	a->loc = node->loc;
	if (!ycheck_mapping(c, &action_schema, node, NULL, f))
		return;
	if (ycheck_int(c, &f[ACT_ARG_SIG], true, 1, 64, &n)) {
		a->has_arg_sig = true;
		a->arg_sig = (unsigned)n;
	}
	/* Kept as written: Tetragon policies say -1 for -EPERM, and the
	 * compiler decides what a hook may return. */
	if (ycheck_int(c, &f[ACT_ARG_ERROR], true, INT32_MIN, INT32_MAX, &n)) {
		a->has_arg_error = true;
		a->arg_error = (int)n;
	}
	if (!ycheck_enum(c, &f[ACT_ACTION], true, actions, ARRAY_SIZE(actions), "action", YENUM_NOCASE, &kind))
		return;
	a->kind = (enum policy_action_kind)kind;
	parse_rate_limit(c, a, f);
	parse_stack_flag(c, a, &f[ACT_KSTACK], "kernelStackTrace", &a->kernel_stack);
	parse_stack_flag(c, a, &f[ACT_USTACK], "userStackTrace", &a->user_stack);
	parse_post_flag(c, &f[ACT_IMA_HASH], "imaHash", "IMA hash");
	/* A present but bad argSig or argError was reported above. */
	if (a->kind == PACT_SIGNAL && !f[ACT_ARG_SIG].key)
		ycheck_error(c, a->loc, "action Signal requires \"argSig\", the signal to send (1 to 64)");
	if (a->kind == PACT_OVERRIDE && !f[ACT_ARG_ERROR].key)
		ycheck_error(c, a->loc, "action Override requires \"argError\", the value to return (e.g. -1)");
}

/* For messages: "a tracepoint has no return value". */
static const char *a_hook_of_kind(enum policy_hook_kind kind)
{
	switch (kind) {
	case POLICY_HOOK_TRACEPOINT:
		return "a tracepoint";
	case POLICY_HOOK_KPROBE:
		return "a kprobe";
	case POLICY_HOOK_LSM:
		return "an LSM hook";
	case POLICY_HOOK_UPROBE:
		return "a uprobe";
	}
	return "a hook";
}

/* matchReturnArgs looks at the value a kretprobe sees: only a kprobe with
 * return: true has one.  Returns whether to parse the entries. */
static bool return_args_allowed(struct ycheck *c, const struct policy_hook *h, const struct yfield *f)
{
	if (!f->key)
		return false;
	if (h->kind == POLICY_HOOK_KPROBE && h->ret)
		return true;
	if (h->kind == POLICY_HOOK_KPROBE)
		ycheck_error(c, f->key->loc,
			     "matchReturnArgs needs \"return: true\" on the kprobe: without it there is no return value to match");
	else
		ycheck_error(c, f->key->loc,
			     "matchReturnArgs is only for kprobes with \"return: true\": %s has no return value to match",
			     a_hook_of_kind(h->kind));
	return false;
}

/* --- selectorsMacros ---------------------------------------------------------- */

static void copy_values(struct policy_value_list *dst, const struct policy_value_list *src)
{
	*dst = *src;
	dst->v = src->n ? xcalloc(src->n, sizeof(*dst->v)) : NULL;
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i].text = xstrdup(src->v[i].text);
		dst->v[i].loc = src->v[i].loc;
	}
}

/* Appends the n_src filters of src to dst, each with its own values. */
#define COPY_FILTERS(dst, n_dst, src, n_src)                                                  \
	do {                                                                                  \
		for (size_t i_ = 0; i_ < (n_src); i_++) {                                     \
			*VEC_PUSH(dst, n_dst) = (src)[i_];                                    \
			copy_values(&(dst)[(n_dst) - 1].values, &(src)[i_].values);           \
		}                                                                             \
	} while (0)

/* One filter kind from a macro into a selector: as in Tetragon, a kind may
 * come from one place only (the selector, or one of its macros). */
static bool macro_kind_free(struct ycheck *c, size_t in_sel, size_t in_macro, const char *kind, const char *macro,
			    struct src_loc at)
{
	if (!in_sel || !in_macro)
		return true;
	ycheck_error(c, at, "%s is set both by macro \"%s\" and by this selector or an earlier macro; set each filter "
		     "in one place", kind, macro);
	return false;
}

static void apply_macro(struct ycheck *c, const struct policy_hook *h, struct policy_selector *s,
			const struct policy_macro *m, struct src_loc at)
{
	const struct policy_selector *ms = &m->sel;
	bool ok = true;

	ok &= macro_kind_free(c, s->n_pids, ms->n_pids, "matchPIDs", m->name, at);
	ok &= macro_kind_free(c, s->n_namespaces, ms->n_namespaces, "matchNamespaces", m->name, at);
	ok &= macro_kind_free(c, s->n_binaries, ms->n_binaries, "matchBinaries", m->name, at);
	ok &= macro_kind_free(c, s->n_parent_binaries, ms->n_parent_binaries, "matchParentBinaries", m->name, at);
	ok &= macro_kind_free(c, s->n_args, ms->n_args, "matchArgs", m->name, at);
	ok &= macro_kind_free(c, s->n_data, ms->n_data, "matchData", m->name, at);
	ok &= macro_kind_free(c, s->n_return_args, ms->n_return_args, "matchReturnArgs", m->name, at);
	ok &= macro_kind_free(c, s->n_caps, ms->n_caps, "matchCapabilities", m->name, at);
	ok &= macro_kind_free(c, s->n_cap_changes, ms->n_cap_changes, "matchCapabilityChanges", m->name, at);
	ok &= macro_kind_free(c, s->n_ns_changes, ms->n_ns_changes, "matchNamespaceChanges", m->name, at);
	ok &= macro_kind_free(c, s->n_actions, ms->n_actions, "matchActions", m->name, at);
	if (ms->n_return_args && !(h->kind == POLICY_HOOK_KPROBE && h->ret)) {
		ycheck_error(c, at, "macro \"%s\" has matchReturnArgs, which needs a kprobe with \"return: true\"",
			     m->name);
		ok = false;
	}
	if (!ok)
		return;
	COPY_FILTERS(s->pids, s->n_pids, ms->pids, ms->n_pids);
	COPY_FILTERS(s->namespaces, s->n_namespaces, ms->namespaces, ms->n_namespaces);
	COPY_FILTERS(s->binaries, s->n_binaries, ms->binaries, ms->n_binaries);
	COPY_FILTERS(s->parent_binaries, s->n_parent_binaries, ms->parent_binaries, ms->n_parent_binaries);
	COPY_FILTERS(s->args, s->n_args, ms->args, ms->n_args);
	COPY_FILTERS(s->data, s->n_data, ms->data, ms->n_data);
	COPY_FILTERS(s->return_args, s->n_return_args, ms->return_args, ms->n_return_args);
	COPY_FILTERS(s->caps, s->n_caps, ms->caps, ms->n_caps);
	COPY_FILTERS(s->cap_changes, s->n_cap_changes, ms->cap_changes, ms->n_cap_changes);
	COPY_FILTERS(s->ns_changes, s->n_ns_changes, ms->ns_changes, ms->n_ns_changes);
	for (size_t i = 0; i < ms->n_actions; i++)
		*VEC_PUSH(s->actions, s->n_actions) = ms->actions[i];
	if (!s->label && ms->label) {
		s->label = xstrdup(ms->label);
		s->label_loc = at;
	}
}

/* macros: [NAME, ...] of a selector, applied in order. */
static void parse_selector_macros(struct ycheck *c, const struct policy *pol, const struct policy_hook *h,
				  struct policy_selector *s, const struct yfield *f)
{
	const struct ynode *seq = name_list(c, f, "macro");
	char q[QBUF], qh[QBUF];

	if (!seq)
		return;
	if (!h) {
		ycheck_error(c, f->key->loc, "a macro cannot use other macros");
		return;
	}
	for (size_t i = 0; i < seq->n_items && !ycheck_full(c); i++) {
		const char *name = name_item(c, seq->items[i], "macros", "macro name");
		const struct policy_macro *m = NULL;

		if (!name)
			continue;
		for (size_t j = 0; j < pol->n_macros; j++)
			if (pol->macros[j].name && !strcmp(pol->macros[j].name, name))
				m = &pol->macros[j];
		if (m) {
			apply_macro(c, h, s, m, seq->items[i]->loc);
			continue;
		}
		if (!pol->n_macros) {
			ycheck_error(c, seq->items[i]->loc, "no macro named \"%s\": spec.selectorsMacros defines none",
				     yaml_escape(q, sizeof(q), name));
		} else {
			const char **names = xcalloc(pol->n_macros, sizeof(*names));
			const char *hint;

			for (size_t j = 0; j < pol->n_macros; j++)
				names[j] = pol->macros[j].name ? pol->macros[j].name : "";
			hint = ycheck_suggest(name, names, pol->n_macros);
			if (hint)
				ycheck_error(c, seq->items[i]->loc,
					     "no macro named \"%s\" in spec.selectorsMacros; did you mean \"%s\"?",
					     yaml_escape(q, sizeof(q), name), yaml_escape(qh, sizeof(qh), hint));
			else
				ycheck_error(c, seq->items[i]->loc, "no macro named \"%s\" in spec.selectorsMacros",
					     yaml_escape(q, sizeof(q), name));
			free(names);
		}
	}
}

/* h is the hook the selector belongs to, with its kind and return set;
 * NULL for a macro, which belongs to none (its matchReturnArgs is checked
 * where it is used). */
static void parse_selector(struct ycheck *c, const struct policy *pol, const struct policy_hook *h,
			   struct policy_selector *s, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(selector_keys)];
	const struct ynode *seq;
	const char *label;

	s->loc = node->loc;
	if (!ycheck_mapping(c, &selector_schema, node, NULL, f))
		return;
	label = ycheck_string(c, &f[SEL_LABEL], false);
	if (label) {
		s->label = xstrdup(label);
		s->label_loc = f[SEL_LABEL].val->loc;
	}
	seq = list_field(c, &f[SEL_PIDS]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_pids(c, VEC_PUSH(s->pids, s->n_pids), seq->items[i]);
	seq = list_field(c, &f[SEL_NAMESPACES]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_namespaces(c, VEC_PUSH(s->namespaces, s->n_namespaces), seq->items[i]);
	seq = list_field(c, &f[SEL_BINARIES]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_binaries(c, VEC_PUSH(s->binaries, s->n_binaries), seq->items[i], false);
	seq = list_field(c, &f[SEL_PARENT_BINARIES]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_binaries(c, VEC_PUSH(s->parent_binaries, s->n_parent_binaries), seq->items[i], true);
	seq = list_field(c, &f[SEL_ARGS]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_args(c, VEC_PUSH(s->args, s->n_args), seq->items[i], MATCH_ARGS);
	seq = list_field(c, &f[SEL_DATA]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_args(c, VEC_PUSH(s->data, s->n_data), seq->items[i], MATCH_DATA);
	seq = !h || return_args_allowed(c, h, &f[SEL_RETURN_ARGS]) ? list_field(c, &f[SEL_RETURN_ARGS]) : NULL;
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_args(c, VEC_PUSH(s->return_args, s->n_return_args), seq->items[i], MATCH_RETURN_ARGS);
	seq = list_field(c, &f[SEL_CAPS]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_caps(c, VEC_PUSH(s->caps, s->n_caps), seq->items[i], false);
	seq = list_field(c, &f[SEL_CAP_CHANGES]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_caps(c, VEC_PUSH(s->cap_changes, s->n_cap_changes), seq->items[i], true);
	seq = list_field(c, &f[SEL_NS_CHANGES]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_match_ns_changes(c, VEC_PUSH(s->ns_changes, s->n_ns_changes), seq->items[i]);
	seq = list_field(c, &f[SEL_ACTIONS]);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_action(c, VEC_PUSH(s->actions, s->n_actions), seq->items[i]);
	if (f[SEL_MACROS].key)
		parse_selector_macros(c, pol, h, s, &f[SEL_MACROS]);
}

/* --- fields every hook has ------------------------------------------------- */

/* A present type must be known; absent means auto, as in Tetragon. */
static void parse_arg_type(struct ycheck *c, const struct yfield *f, struct policy_arg *a)
{
	int type;

	if (!f->val)
		return;
	a->type_loc = f->val->loc;
	if (ycheck_enum(c, f, true, arg_types, ARRAY_SIZE(arg_types), "argument type", 0, &type))
		a->type = (enum policy_arg_type)type;
}

static void parse_arg(struct ycheck *c, struct policy_arg *a, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(arg_keys)];
	bool max_data;

	a->loc = node->loc;
	if (!ycheck_mapping(c, &arg_schema, node, NULL, f))
		return;
	parse_uint32(c, &f[ARG_INDEX], true, &a->index);
	parse_arg_type(c, &f[ARG_TYPE], a);
	a->has_size_arg_index = parse_uint32(c, &f[ARG_SIZE_ARG_INDEX], true, &a->size_arg_index);
	/* Tetragon reads such an argument again when the function returns
	 * (a buffer the call fills); rtenf reads arguments at the call only. */
	if (ycheck_bool(c, &f[ARG_RETURN_COPY], &a->return_copy) && a->return_copy)
		ycheck_error(c, f[ARG_RETURN_COPY].val->loc,
			     "not supported yet: returnCopy (rtenf reads arguments when the call starts, not again at "
			     "its return)");
	a->label = optional_string(c, &f[ARG_LABEL]);
	a->resolve = optional_string(c, &f[ARG_RESOLVE]);
	if (a->resolve)
		a->resolve_loc = f[ARG_RESOLVE].val->loc;
	if (ycheck_bool(c, &f[ARG_MAX_DATA], &max_data) && max_data)
		ycheck_error(c, f[ARG_MAX_DATA].val->loc, "not supported yet: maxData");
}

/* exec_args (rtenf's own) reads the argv of the image exec has just put in
 * place: only hooks that run after that, and before the program does. */
static bool exec_args_allowed(const struct policy_hook *h)
{
	return h->kind == POLICY_HOOK_TRACEPOINT && !h->raw && h->subsystem && h->event &&
	       ((!strcmp(h->subsystem, "syscalls") &&
		 (!strcmp(h->event, "sys_exit_execve") || !strcmp(h->event, "sys_exit_execveat"))) ||
		(!strcmp(h->subsystem, "sched") && !strcmp(h->event, "sched_process_exec")));
}

static void check_exec_args(struct ycheck *c, const struct policy_hook *h, const struct policy_arg *a)
{
	if (a->type != PARG_EXEC_ARGS)
		return;
	if (!exec_args_allowed(h)) {
		ycheck_error(c, a->type_loc,
			     "type exec_args reads the argv of a completed exec: it is allowed on the tracepoints "
			     "syscalls/sys_exit_execve, syscalls/sys_exit_execveat and sched/sched_process_exec only");
		return;
	}
	/* its index reads no record field: it only names the argument for matchArgs */
	for (size_t i = 0; i < h->n_args; i++)
		if (&h->args[i] != a && h->args[i].index == a->index)
			ycheck_error(c, a->loc,
				     "exec_args argument has index %u, which another argument uses: its index only "
				     "names it for matchArgs, so give it one no other argument has",
				     a->index);
}

/* resolve walks the kernel type BTF gives a kernel function's parameter:
 * tracepoint records, syscall arguments and uprobe arguments have none. */
static void check_arg_resolve(struct ycheck *c, const struct policy_hook *h, const struct policy_arg *a)
{
	if (!a->resolve)
		return;
	if (h->kind == POLICY_HOOK_LSM || (h->kind == POLICY_HOOK_KPROBE && !h->syscall))
		return;
	ycheck_error(c, a->resolve_loc, "not supported yet: resolve on %s: it needs the argument's kernel type, which "
		     "BTF gives for kernel functions (kprobes with syscall: false) and LSM hooks",
		     h->kind == POLICY_HOOK_TRACEPOINT ? "tracepoint arguments"
		     : h->kind == POLICY_HOOK_UPROBE ? "uprobe arguments" : "syscall arguments");
}

static void parse_args(struct ycheck *c, struct policy_hook *h, const struct yfield *f)
{
	const struct ynode *seq = list_field(c, f);

	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_arg(c, VEC_PUSH(h->args, h->n_args), seq->items[i]);
	for (size_t i = 0; i < h->n_args; i++) {
		check_exec_args(c, h, &h->args[i]);
		check_arg_resolve(c, h, &h->args[i]);
	}
}

/* One data entry: source current_task, an integer or string type, and a
 * resolve path, which the compiler checks against the kernel's BTF. */
static void parse_data_entry(struct ycheck *c, struct policy_data *d, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(data_keys)];
	const char *source, *resolve;
	char q[QBUF];
	int type;

	d->loc = node->loc;
	if (!ycheck_mapping(c, &data_schema, node, NULL, f))
		return;
	parse_uint32(c, &f[DATA_INDEX], true, &d->index);
	if (f[DATA_TYPE].val)
		d->type_loc = f[DATA_TYPE].val->loc;
	if (ycheck_enum(c, &f[DATA_TYPE], true, arg_types, ARRAY_SIZE(arg_types), "data type", 0, &type)) {
		d->type = (enum policy_arg_type)type;
		if (d->type != PARG_STRING && (d->type < PARG_INT || d->type > PARG_SIZE_T))
			ycheck_error(c, d->type_loc, "data type must be an integer type or string: a value read from "
				     "the task is compared as a number or as text");
	}
	source = ycheck_string(c, &f[DATA_SOURCE], true);
	if (source && strcmp(source, "current_task"))
		ycheck_error(c, f[DATA_SOURCE].val->loc, "not supported yet: data source \"%s\" (rtenf reads data from "
			     "current_task only)", yaml_escape(q, sizeof(q), source));
	resolve = ycheck_string(c, &f[DATA_RESOLVE], true);
	if (resolve) {
		d->resolve = xstrdup(resolve);
		d->resolve_loc = f[DATA_RESOLVE].val->loc;
	}
	d->label = optional_string(c, &f[DATA_LABEL]);
}

static void parse_data(struct ycheck *c, struct policy_hook *h, const struct yfield *f)
{
	const struct ynode *seq = list_field(c, f);

	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_data_entry(c, VEC_PUSH(h->data, h->n_data), seq->items[i]);
	/* matchData names an entry by index: two with one index would be ambiguous */
	for (size_t i = 1; i < h->n_data; i++)
		for (size_t j = 0; j < i; j++)
			if (h->data[i].index == h->data[j].index) {
				ycheck_error(c, h->data[i].loc, "data index %u is used twice in this hook (first at line %u, "
					     "column %u)", h->data[i].index, h->data[j].loc.line, h->data[j].loc.col);
				break;
			}
}

/* After the fields selectors depend on: the hook's kind and return. */
static void parse_selectors(struct ycheck *c, const struct policy *pol, struct policy_hook *h, const struct yfield *f)
{
	const struct ynode *seq = list_field(c, f);
	char q[QBUF];

	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_selector(c, pol, h, VEC_PUSH(h->selectors, h->n_selectors), seq->items[i]);
	/* a label names one selector of the hook */
	for (size_t i = 1; i < h->n_selectors; i++)
		for (size_t j = 0; j < i && h->selectors[i].label; j++)
			if (h->selectors[j].label && !strcmp(h->selectors[i].label, h->selectors[j].label)) {
				ycheck_error(c, h->selectors[i].label_loc,
					     "selector label \"%s\" is used twice in this hook (first at line %u, column %u)",
					     yaml_escape(q, sizeof(q), h->selectors[i].label), h->selectors[j].label_loc.line,
					     h->selectors[j].label_loc.col);
				break;
			}
}

/* spec.selectorsMacros: NAME: selector.  Parsed before the hooks. */
static void parse_macros(struct ycheck *c, struct policy *pol, const struct yfield *f)
{
	const struct ynode *map = f->val;
	char q[QBUF];

	if (!f->key || !map || ynode_is_null(map))
		return;
	if (map->kind != YNODE_MAP) {
		ycheck_error(c, map->loc, "selectorsMacros must map macro names to selectors, found %s",
			     ycheck_describe(q, sizeof(q), map));
		return;
	}
	for (size_t i = 0; i + 1 < map->n_items && !ycheck_full(c); i += 2) {
		struct policy_macro *m = VEC_PUSH(pol->macros, pol->n_macros);

		m->name = xstrdup(map->items[i]->text ? map->items[i]->text : "");
		m->loc = map->items[i]->loc;
		parse_selector(c, pol, NULL, &m->sel, map->items[i + 1]);
	}
}

static void parse_tags(struct ycheck *c, struct policy_hook *h, const struct yfield *f)
{
	const struct ynode *seq = list_field(c, f);

	if (list_len(seq) > MAX_TAGS)
		ycheck_error(c, seq->loc, "too many tags: %zu (at most %d)", seq->n_items, MAX_TAGS);
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++) {
		const char *text = name_item(c, seq->items[i], "tags", "tag");

		if (text)
			*VEC_PUSH(h->tags, h->n_tags) = xstrdup(text);
	}
}

/* --- tracepoints ------------------------------------------------------------ */

/*
 * Subsystem and event become directory names under tracefs, so only the
 * characters kernel tracepoint names use are let through: never "/" or "..".
 */
static char *parse_tracefs_name(struct ycheck *c, const struct yfield *f, const char *what, struct src_loc *loc)
{
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (!s)
		return NULL;
	*loc = f->val->loc;
	for (const char *p = s; *p; p++) {
		if (is_ident_char(*p, false) || *p == '-')
			continue;
		ycheck_error(c, f->val->loc, "invalid tracepoint %s \"%s\": use letters, digits, \"_\" and \"-\"", what,
			     yaml_escape(q, sizeof(q), s));
		return NULL;
	}
	return xstrdup(s);
}

static void parse_tracepoint(struct ycheck *c, const struct policy *pol, struct policy_hook *h,
			     const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(tracepoint_keys)];

	(void)pol;
	h->kind = POLICY_HOOK_TRACEPOINT;
	h->loc = node->loc;
	if (!ycheck_mapping(c, &tracepoint_schema, node, NULL, f))
		return;
	h->subsystem = parse_tracefs_name(c, &f[TP_SUBSYSTEM], "subsystem", &h->subsystem_loc);
	h->event = parse_tracefs_name(c, &f[TP_EVENT], "event", &h->event_loc);
	ycheck_bool(c, &f[TP_RAW], &h->raw);
	h->message = optional_string(c, &f[TP_MESSAGE]);
	parse_tags(c, h, &f[TP_TAGS]);
	parse_args(c, h, &f[TP_ARGS]);
	parse_data(c, h, &f[TP_DATA]);
	parse_selectors(c, pol, h, &f[TP_SELECTORS]);
}

/* --- kprobes ------------------------------------------------------------------ */

#define LIST_PREFIX "list:"

static bool has_list(const struct policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->n_lists; i++)
		if (pol->lists[i].name && !strcmp(pol->lists[i].name, name))
			return true;
	return false;
}

static void unknown_list(struct ycheck *c, const struct policy *pol, const char *name, struct src_loc loc)
{
	const char **names = xcalloc(pol->n_lists + 1, sizeof(*names));
	const char *hint;
	char q[QBUF], qh[QBUF];
	size_t n = 0;

	for (size_t i = 0; i < pol->n_lists; i++)
		if (pol->lists[i].name)
			names[n++] = pol->lists[i].name;
	hint = ycheck_suggest(name, names, n);
	if (hint)
		ycheck_error(c, loc, "no list named \"%s\" in spec.lists; did you mean \"%s\"?",
			     yaml_escape(q, sizeof(q), name), yaml_escape(qh, sizeof(qh), hint));
	else
		ycheck_error(c, loc, "no list named \"%s\" in spec.lists", yaml_escape(q, sizeof(q), name));
	free(names);
}

/* "list:NAME" must name one of spec.lists, which are parsed first. */
static bool check_list_call(struct ycheck *c, const struct policy *pol, const char *name, struct src_loc loc)
{
	if (!*name) {
		ycheck_error(c, loc, "missing list name after \"" LIST_PREFIX "\" in call");
		return false;
	}
	if (has_list(pol, name))
		return true;
	unknown_list(c, pol, name, loc);
	return false;
}

static char *parse_call(struct ycheck *c, const struct policy *pol, const struct yfield *f, struct src_loc *loc)
{
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (!s)
		return NULL;
	*loc = f->val->loc;
	if (!strncmp(s, LIST_PREFIX, strlen(LIST_PREFIX))) {
		if (!check_list_call(c, pol, s + strlen(LIST_PREFIX), *loc))
			return NULL;
	} else if (!is_kernel_symbol(s)) {
		ycheck_error(c, *loc,
			     "invalid kprobe call \"%s\": use a kernel function name (letters, digits, \"_\" and \".\") or \"" LIST_PREFIX "NAME\"",
			     yaml_escape(q, sizeof(q), s));
		return NULL;
	}
	return xstrdup(s);
}

static void parse_return_arg(struct ycheck *c, struct policy_hook *h, const struct yfield *holder)
{
	struct yfield f[ARRAY_SIZE(return_arg_keys)];
	struct policy_arg *a = &h->return_arg;

	a->loc = holder->val->loc;
	if (!ycheck_mapping(c, &return_arg_schema, holder->val, holder->key, f))
		return;
	h->has_return_arg = true;
	parse_uint32(c, &f[RA_INDEX], false, &a->index); /* checked, then unused */
	parse_arg_type(c, &f[RA_TYPE], a);
	a->label = optional_string(c, &f[RA_LABEL]);
}

/*
 * return, returnArg and returnArgAction.  As in Tetragon, return: true needs
 * returnArg, the type of the value.  Unlike Tetragon, returnArg and
 * returnArgAction without return: true are errors: rtenf does not accept
 * what it would then ignore.
 */
static void parse_kprobe_return(struct ycheck *c, struct policy_hook *h, const struct yfield *f)
{
	const struct yfield *ret = &f[KP_RETURN], *arg = &f[KP_RETURN_ARG], *action = &f[KP_RETURN_ARG_ACTION];
	unsigned errors = c->n_errors;
	int unused;

	ycheck_bool(c, ret, &h->ret);
	if (c->n_errors != errors) {
		/* A bad value, reported: taking it as true keeps the fields
		 * that need return: true from being blamed for it again. */
		h->ret = true;
	} else if (h->ret && !arg->key) {
		ycheck_error(c, ret->val->loc, "\"return: true\" needs \"returnArg\", the type of the return value");
	}
	if (arg->key && !h->ret)
		ycheck_error(c, arg->key->loc, "\"returnArg\" needs \"return: true\"");
	else if (arg->key)
		parse_return_arg(c, h, arg);
	if (action->key && !h->ret)
		ycheck_error(c, action->key->loc, "\"returnArgAction\" needs \"return: true\"");
	else
		ycheck_enum(c, action, false, return_arg_actions, ARRAY_SIZE(return_arg_actions), "returnArgAction",
			    YENUM_NOCASE, &unused);
}

/* ignore.callNotFound would load the policy without the hooks whose call
 * this kernel lacks: not supported yet.  false is what rtenf does. */
static void parse_ignore(struct ycheck *c, const struct yfield *ignore)
{
	struct yfield f[ARRAY_SIZE(ignore_keys)];
	bool on;

	if (!ignore->key || !ycheck_mapping(c, &ignore_schema, ignore->val, ignore->key, f))
		return;
	if (ycheck_bool(c, &f[IGN_CALL_NOT_FOUND], &on) && on)
		ycheck_error(c, f[IGN_CALL_NOT_FOUND].val->loc, "not supported yet: callNotFound");
}

static void parse_kprobe(struct ycheck *c, const struct policy *pol, struct policy_hook *h, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(kprobe_keys)];

	h->kind = POLICY_HOOK_KPROBE;
	h->loc = node->loc;
	h->syscall = true; /* the default of Tetragon's CRD */
	if (!ycheck_mapping(c, &kprobe_schema, node, NULL, f))
		return;
	h->call = parse_call(c, pol, &f[KP_CALL], &h->call_loc);
	h->syscall_set = ycheck_bool(c, &f[KP_SYSCALL], &h->syscall);
	parse_kprobe_return(c, h, f);
	parse_ignore(c, &f[KP_IGNORE]);
	h->message = optional_string(c, &f[KP_MESSAGE]);
	parse_tags(c, h, &f[KP_TAGS]);
	parse_args(c, h, &f[KP_ARGS]);
	parse_data(c, h, &f[KP_DATA]);
	parse_selectors(c, pol, h, &f[KP_SELECTORS]);
}

/* --- LSM hooks ---------------------------------------------------------------- */

/* The name of a security_*() hook without its prefix, as in
 * "bpf_lsm_<hook>": an identifier, never a path or a pattern. */
static char *parse_lsm_hook_name(struct ycheck *c, const struct yfield *f, struct src_loc *loc)
{
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (!s)
		return NULL;
	*loc = f->val->loc;
	if (!is_identifier(s)) {
		ycheck_error(c, *loc,
			     "invalid LSM hook name \"%s\": use letters, digits and \"_\", not starting with a digit (e.g. file_open)",
			     yaml_escape(q, sizeof(q), s));
		return NULL;
	}
	return xstrdup(s);
}

static void parse_lsm_hook(struct ycheck *c, const struct policy *pol, struct policy_hook *h,
			   const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(lsm_keys)];

	(void)pol;
	h->kind = POLICY_HOOK_LSM;
	h->loc = node->loc;
	if (!ycheck_mapping(c, &lsm_schema, node, NULL, f))
		return;
	h->lsm_hook = parse_lsm_hook_name(c, &f[LSM_HOOK], &h->lsm_hook_loc);
	h->message = optional_string(c, &f[LSM_MESSAGE]);
	parse_tags(c, h, &f[LSM_TAGS]);
	parse_args(c, h, &f[LSM_ARGS]);
	parse_data(c, h, &f[LSM_DATA]);
	parse_selectors(c, pol, h, &f[LSM_SELECTORS]);
}

/* --- uprobes ------------------------------------------------------------------ */

/* The agent opens the binary itself: a relative path would depend on its
 * working directory rather than on the policy. */
static char *parse_uprobe_path(struct ycheck *c, const struct yfield *f, struct src_loc *loc)
{
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (!s)
		return NULL;
	*loc = f->val->loc;
	if (s[0] != '/') {
		ycheck_error(c, *loc, "uprobe path must be absolute (starting with \"/\"), not \"%s\"",
			     yaml_escape(q, sizeof(q), s));
		return NULL;
	}
	return xstrdup(s);
}

static void parse_uprobe_symbols(struct ycheck *c, struct policy_hook *h, const struct ynode *node,
				 const struct yfield *f)
{
	const struct ynode *seq;

	if (!f[UP_SYMBOLS].key) {
		/* offsets and addrs, which would stand in for it in Tetragon,
		 * were reported as not supported yet: that says enough. */
		if (!f[UP_OFFSETS].key && !f[UP_ADDRS].key)
			ycheck_missing(c, &uprobe_schema, f, UP_SYMBOLS, node->loc, NULL);
		return;
	}
	seq = name_list(c, &f[UP_SYMBOLS], "symbol");
	if (!seq)
		return;
	h->symbols = xcalloc(seq->n_items, sizeof(*h->symbols));
	h->symbol_locs = xcalloc(seq->n_items, sizeof(*h->symbol_locs));
	for (size_t i = 0; i < seq->n_items && !ycheck_full(c); i++) {
		const char *text = name_item(c, seq->items[i], "symbols", "symbol");

		if (!text)
			continue;
		h->symbols[h->n_symbols] = xstrdup(text);
		h->symbol_locs[h->n_symbols++] = seq->items[i]->loc;
	}
}

static void parse_uprobe(struct ycheck *c, const struct policy *pol, struct policy_hook *h, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(uprobe_keys)];

	(void)pol;
	h->kind = POLICY_HOOK_UPROBE;
	h->loc = node->loc;
	if (!ycheck_mapping(c, &uprobe_schema, node, NULL, f))
		return;
	h->path = parse_uprobe_path(c, &f[UP_PATH], &h->path_loc);
	parse_uprobe_symbols(c, h, node, f);
	h->message = optional_string(c, &f[UP_MESSAGE]);
	parse_tags(c, h, &f[UP_TAGS]);
	parse_args(c, h, &f[UP_ARGS]);
	parse_data(c, h, &f[UP_DATA]);
	parse_selectors(c, pol, h, &f[UP_SELECTORS]);
}

/* --- lists -------------------------------------------------------------------- */

static const char *list_type_name(int type)
{
	for (size_t i = 0; i < ARRAY_SIZE(list_types); i++)
		if (list_types[i].value == type)
			return list_types[i].name;
	return "";
}

static bool is_generated(int type)
{
	return type == LT_GENERATED_SYSCALLS || type == LT_GENERATED_FTRACE;
}

/* Only a generated_ftrace list has a pattern, and it must. */
static void parse_list_pattern(struct ycheck *c, struct policy_list *l, int type, const struct ynode *node,
			       const struct yfield *f)
{
	const struct yfield *pattern = &f[LIST_PATTERN];
	const char *s;

	if (type != LT_GENERATED_FTRACE) {
		if (pattern->key)
			ycheck_error(c, pattern->key->loc, "\"pattern\" is only for lists of type generated_ftrace");
		return;
	}
	if (!pattern->key) {
		ycheck_missing(c, &list_schema, f, LIST_PATTERN, node->loc,
			       "a generated_ftrace list holds the functions its pattern matches");
		return;
	}
	s = ycheck_string(c, pattern, true);
	if (s) {
		l->pattern = xstrdup(s);
		l->pattern_loc = pattern->val->loc;
	}
}

/* Function (or syscall) names; a generated list has none of its own. */
static void parse_list_values(struct ycheck *c, struct policy_list *l, int type, const struct ynode *node,
			      const struct yfield *f)
{
	const char *what = type == LT_SYSCALLS ? "syscall" : "function";
	const char *item = type == LT_SYSCALLS ? "syscall name" : "function name";
	const struct yfield *values = &f[LIST_VALUES];
	const struct ynode *seq;

	if (is_generated(type)) {
		if (values->key)
			ycheck_error(c, values->key->loc, "a %s list takes no \"values\": the kernel provides them",
				     list_type_name(type));
		return;
	}
	if (!values->key) {
		ycheck_missing(c, &list_schema, f, LIST_VALUES, node->loc, NULL);
		return;
	}
	seq = name_list(c, values, what);
	if (!seq)
		return;
	l->values.loc = seq->loc;
	for (size_t i = 0; i < seq->n_items && !ycheck_full(c); i++) {
		const char *text = name_item(c, seq->items[i], "values", item);
		struct policy_value *v;

		if (!text)
			continue;
		v = VEC_PUSH(l->values.v, l->values.n);
		v->text = xstrdup(text);
		v->loc = seq->items[i]->loc;
	}
}

/* Kprobes name a list as "list:NAME": two lists of one name would make
 * that ambiguous.  The second is the one reported. */
static void check_list_name_unique(struct ycheck *c, const struct policy *pol, const struct policy_list *l,
				   const struct yfield *name)
{
	char q[QBUF];

	for (const struct policy_list *first = pol->lists; first < l; first++)
		if (first->name && !strcmp(first->name, l->name)) {
			ycheck_error(c, name->val->loc, "list \"%s\" defined twice (first at line %u, column %u)",
				     yaml_escape(q, sizeof(q), l->name), first->loc.line, first->loc.col);
			return;
		}
}

/* l is the last of pol->lists. */
static void parse_list(struct ycheck *c, const struct policy *pol, struct policy_list *l, const struct ynode *node)
{
	struct yfield f[ARRAY_SIZE(list_keys)];
	int type = LT_PLAIN;
	const char *name;
	bool validated;

	l->loc = node->loc;
	if (!ycheck_mapping(c, &list_schema, node, NULL, f))
		return;
	name = ycheck_string(c, &f[LIST_NAME], true);
	if (name) {
		l->name = xstrdup(name);
		check_list_name_unique(c, pol, l, &f[LIST_NAME]);
	}
	if (f[LIST_TYPE].val && !ynode_is_null(f[LIST_TYPE].val)) {
		l->type_loc = f[LIST_TYPE].val->loc;
		/* What else the list needs depends on its type. */
		if (!ycheck_enum(c, &f[LIST_TYPE], true, list_types, ARRAY_SIZE(list_types), "list type",
				 YENUM_NOCASE, &type))
			return;
	}
	l->type = xstrdup(list_type_name(type));
	parse_list_pattern(c, l, type, node, f);
	parse_list_values(c, l, type, node, f);
	/* Tetragon marks the lists it has expanded; rtenf checks them all. */
	ycheck_bool(c, &f[LIST_VALIDATED], &validated);
}

static void parse_lists(struct ycheck *c, struct policy *pol, const struct ynode *seq)
{
	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse_list(c, pol, VEC_PUSH(pol->lists, pol->n_lists), seq->items[i]);
}

/* --- spec, metadata, document ---------------------------------------------- */

static void parse_policy_mode(struct ycheck *c, struct policy *pol, const struct ynode *option,
			      const struct yfield *f, const struct ynode **first)
{
	int mode;

	if (*first) {
		ycheck_error(c, f[OPT_NAME].val->loc, "option \"policy-mode\" given twice (first at line %u, column %u)",
			     (*first)->loc.line, (*first)->loc.col);
		return;
	}
	*first = f[OPT_NAME].val;
	if (!f[OPT_VALUE].key) {
		ycheck_error(c, option->loc, "missing required key \"value\" in option \"policy-mode\"");
		return;
	}
	if (!ycheck_enum(c, &f[OPT_VALUE], true, policy_modes, ARRAY_SIZE(policy_modes), "policy-mode", 0, &mode))
		return;
	pol->mode = (enum policy_mode)mode;
	pol->mode_loc = f[OPT_VALUE].val->loc;
}

static void parse_options(struct ycheck *c, struct policy *pol, const struct ynode *seq)
{
	const struct ynode *mode_first = NULL;

	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++) {
		struct yfield f[ARRAY_SIZE(option_keys)];
		int option;

		if (!ycheck_mapping(c, &option_schema, seq->items[i], NULL, f))
			continue;
		if (!ycheck_enum(c, &f[OPT_NAME], true, option_names, ARRAY_SIZE(option_names), "option", 0, &option))
			continue;
		switch (option) {
		case OPTION_POLICY_MODE:
			parse_policy_mode(c, pol, seq->items[i], f, &mode_first);
			break;
		case OPTION_CGROUP_PATHS:
		case OPTION_CONTAINER_IDS:
			parse_scope_option(c, &pol->scope, option == OPTION_CONTAINER_IDS, seq->items[i], &f[OPT_NAME],
					   &f[OPT_VALUE]);
			break;
		}
	}
}

typedef void hook_parser(struct ycheck *c, const struct policy *pol, struct policy_hook *h, const struct ynode *node);

static void parse_hooks(struct ycheck *c, struct policy *pol, const struct yfield *f, hook_parser *parse)
{
	const struct ynode *seq = list_field(c, f);

	for (size_t i = 0; i < list_len(seq) && !ycheck_full(c); i++)
		parse(c, pol, VEC_PUSH(pol->hooks, pol->n_hooks), seq->items[i]);
}

/* Every kind of hook goes to pol->hooks, in the order of the sections in
 * the file, so listings and hook numbers follow what was written. */
static void parse_hook_sections(struct ycheck *c, struct policy *pol, const struct ynode *spec,
				const struct yfield *f)
{
	static const struct {
		int key;
		hook_parser *parse;
	} sections[] = {
		{ SPEC_TRACEPOINTS, parse_tracepoint },
		{ SPEC_KPROBES, parse_kprobe },
		{ SPEC_LSMHOOKS, parse_lsm_hook },
		{ SPEC_UPROBES, parse_uprobe },
	};

	for (size_t i = 0; spec->kind == YNODE_MAP && i < spec->n_items; i += 2)
		for (size_t k = 0; k < ARRAY_SIZE(sections); k++)
			if (f[sections[k].key].key == spec->items[i])
				parse_hooks(c, pol, &f[sections[k].key], sections[k].parse);
}

static void parse_spec(struct ycheck *c, struct policy *pol, const struct yfield *spec)
{
	struct yfield f[ARRAY_SIZE(spec_keys)];

	if (!ycheck_mapping(c, &spec_schema, spec->val, spec->key, f))
		return;
	parse_options(c, pol, list_field(c, &f[SPEC_OPTIONS]));
	/* Before the hooks, wherever they are in the file: kprobes name lists,
	 * selectors name macros. */
	parse_lists(c, pol, list_field(c, &f[SPEC_LISTS]));
	parse_macros(c, pol, &f[SPEC_MACROS]);
	parse_hook_sections(c, pol, spec->val, f);
}

/* Kubernetes object names: [a-z0-9]([-a-z0-9.]*[a-z0-9])?, at most 253. */
static bool valid_policy_name(const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len; i++) {
		bool alnum = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9');
		bool inner = i > 0 && i < len - 1 && (s[i] == '-' || s[i] == '.');

		if (!alnum && !inner)
			return false;
	}
	return len > 0;
}

static void parse_metadata(struct ycheck *c, struct policy *pol, const struct yfield *meta)
{
	struct yfield f[ARRAY_SIZE(metadata_keys)];
	const char *name;
	char q[QBUF];

	if (!meta->key || !ycheck_mapping(c, &metadata_schema, meta->val, meta->key, f))
		return;
	name = ycheck_string(c, &f[META_NAME], true);
	if (!name)
		return;
	if (strlen(name) > MAX_NAME_LEN) {
		ycheck_error(c, f[META_NAME].val->loc, "policy name is too long: %zu characters (at most %d)",
			     strlen(name), MAX_NAME_LEN);
		return;
	}
	if (!valid_policy_name(name)) {
		ycheck_error(c, f[META_NAME].val->loc,
			     "invalid policy name \"%s\": use lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit",
			     yaml_escape(q, sizeof(q), name));
		return;
	}
	pol->name = xstrdup(name);
	pol->name_loc = f[META_NAME].val->loc;
}

static void check_api_version(struct ycheck *c, const struct yfield *f)
{
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (s && strcmp(s, API_VERSION))
		ycheck_error(c, f->val->loc, "apiVersion must be \"" API_VERSION "\", not \"%s\"",
			     yaml_escape(q, sizeof(q), s));
}

/* Returns false when the document is something else altogether (a Pod, a
 * NetworkPolicy): its spec would only give a heap of meaningless errors. */
static bool check_kind(struct ycheck *c, const struct yfield *f)
{
	static const char *const kinds[] = { "TracingPolicy", "TracingPolicyNamespaced" };
	const char *s = ycheck_string(c, f, true);
	char q[QBUF];

	if (!s || !strcmp(s, kinds[0]))
		return true;
	if (!strcmp(s, kinds[1])) {
		ycheck_error(c, f->val->loc, "not supported yet: TracingPolicyNamespaced");
		return true;
	}
	ycheck_error(c, f->val->loc, "kind must be TracingPolicy, not \"%s\"", yaml_escape(q, sizeof(q), s));
	return ycheck_suggest(s, kinds, ARRAY_SIZE(kinds)) != NULL;
}

static void parse_document(struct ycheck *c, struct policy *pol, const struct ynode *root)
{
	struct yfield f[ARRAY_SIZE(top_keys)];
	bool is_policy;

	pol->loc = root->loc;
	if (!ycheck_mapping(c, &top_schema, root, NULL, f))
		return;
	check_api_version(c, &f[TOP_API_VERSION]);
	is_policy = check_kind(c, &f[TOP_KIND]);
	parse_metadata(c, pol, &f[TOP_METADATA]);
	if (f[TOP_SPEC].key && is_policy)
		parse_spec(c, pol, &f[TOP_SPEC]);
}

static bool empty_document(const struct ydoc *d)
{
	return !d->root || ynode_is_null(d->root);
}

/* One policy per file, as with kubectl; empty documents (a stray "---")
 * are skipped as kubectl does. */
static void parse_stream(struct ycheck *c, struct policy *pol, const struct ystream *s)
{
	const struct ydoc *doc = NULL;

	for (size_t i = 0; i < s->n_docs; i++) {
		if (empty_document(&s->docs[i]))
			continue;
		if (doc) {
			ycheck_error(c, s->docs[i].loc,
				     "not supported yet: several documents in one file; put each policy in its own file");
			break;
		}
		doc = &s->docs[i];
	}
	if (!doc) {
		ycheck_error(c, s->n_docs ? s->docs[0].loc : (struct src_loc){ 1, 1 },
			     "empty document; expected a TracingPolicy");
		return;
	}
	parse_document(c, pol, doc->root);
}

struct policy *policy_parse(const char *yaml, size_t len, const char *file, struct diag_list *diags)
{
	const char *name = file ? file : "<input>";
	struct policy *pol = NULL;
	struct ystream stream;
	struct ycheck c;

	ycheck_init(&c, name, diags);
	if (!ystream_load(yaml ? yaml : "", yaml ? len : 0, name, diags, &stream)) {
		pol = xcalloc(1, sizeof(*pol));
		pol->file = xstrdup(name);
		parse_stream(&c, pol, &stream);
	}
	ystream_free(&stream);
	ycheck_finish(&c);
	if (diags->n > c.first_diag) {
		policy_free(pol);
		return NULL;
	}
	return pol;
}

struct policy *policy_parse_file(const char *path, struct diag_list *diags)
{
	struct policy *pol;
	size_t len;
	char *yaml = read_file(path, &len);

	if (!yaml) {
		diag_error(diags, path, (struct src_loc){ 0 }, "cannot read policy file: %s", strerror(errno));
		return NULL;
	}
	pol = policy_parse(yaml, len, path, diags);
	free(yaml);
	return pol;
}

/* --- freeing ------------------------------------------------------------------ */

static void free_values(struct policy_value_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
}

static void free_selector(struct policy_selector *s)
{
	for (size_t i = 0; i < s->n_pids; i++)
		free_values(&s->pids[i].values);
	for (size_t i = 0; i < s->n_namespaces; i++)
		free_values(&s->namespaces[i].values);
	for (size_t i = 0; i < s->n_binaries; i++)
		free_values(&s->binaries[i].values);
	for (size_t i = 0; i < s->n_parent_binaries; i++)
		free_values(&s->parent_binaries[i].values);
	free(s->parent_binaries);
	for (size_t i = 0; i < s->n_args; i++)
		free_values(&s->args[i].values);
	for (size_t i = 0; i < s->n_return_args; i++)
		free_values(&s->return_args[i].values);
	for (size_t i = 0; i < s->n_data; i++)
		free_values(&s->data[i].values);
	free(s->data);
	for (size_t i = 0; i < s->n_caps; i++)
		free_values(&s->caps[i].values);
	for (size_t i = 0; i < s->n_cap_changes; i++)
		free_values(&s->cap_changes[i].values);
	for (size_t i = 0; i < s->n_ns_changes; i++)
		free_values(&s->ns_changes[i].values);
	free(s->caps);
	free(s->cap_changes);
	free(s->ns_changes);
	free(s->label);
	free(s->pids);
	free(s->namespaces);
	free(s->binaries);
	free(s->args);
	free(s->return_args);
	free(s->actions);
}

static void free_hook(struct policy_hook *h)
{
	free(h->subsystem);
	free(h->event);
	free(h->call);
	free(h->return_arg.label);
	free(h->lsm_hook);
	free(h->path);
	for (size_t i = 0; i < h->n_symbols; i++)
		free(h->symbols[i]);
	free(h->symbols);
	free(h->symbol_locs);
	for (size_t i = 0; i < h->n_args; i++) {
		free(h->args[i].label);
		free(h->args[i].resolve);
	}
	free(h->args);
	for (size_t i = 0; i < h->n_data; i++) {
		free(h->data[i].resolve);
		free(h->data[i].label);
	}
	free(h->data);
	for (size_t i = 0; i < h->n_selectors; i++)
		free_selector(&h->selectors[i]);
	free(h->selectors);
	free(h->message);
	for (size_t i = 0; i < h->n_tags; i++)
		free(h->tags[i]);
	free(h->tags);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_hooks; i++)
		free_hook(&p->hooks[i]);
	free(p->hooks);
	for (size_t i = 0; i < p->n_lists; i++) {
		free(p->lists[i].name);
		free(p->lists[i].type);
		free_values(&p->lists[i].values);
		free(p->lists[i].pattern);
	}
	free(p->lists);
	for (size_t i = 0; i < p->n_macros; i++) {
		free(p->macros[i].name);
		free_selector(&p->macros[i].sel);
	}
	free(p->macros);
	policy_scope_free(&p->scope);
	free(p->file);
	free(p->name);
	free(p);
}
