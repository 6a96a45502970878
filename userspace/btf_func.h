/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel function prototypes from the kernel's BTF, so a policy's argument
 * types are checked against the function they hook ("argument 0 of
 * security_file_open is struct file *, not int") before anything loads.
 */
#ifndef RTENF_BTF_FUNC_H
#define RTENF_BTF_FUNC_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

enum btf_param_kind {
	BTF_PARAM_INT,    /* integer, enum or bool */
	BTF_PARAM_PTR,    /* pointer: pointee says to what */
	BTF_PARAM_VOID,   /* return type void */
	BTF_PARAM_OTHER,  /* struct by value, float, ... */
};

struct btf_arg_info {
	enum btf_param_kind kind;
	unsigned size;        /* bytes (INT) */
	bool is_signed;       /* INT */
	char pointee[64];     /* PTR: "file", "sockaddr", "kernel_cap_t", "char", "void", ... */
	char name[64];        /* the parameter's name, if BTF has it */
};

#define BTF_MAX_PARAMS 12

struct btf_proto {
	struct btf_arg_info params[BTF_MAX_PARAMS];
	unsigned n_params;
	struct btf_arg_info ret;
};

/* The running kernel's BTF (loaded once), or NULL. */
const struct btf *btf_vmlinux(void);

/* Prototype of function name; 0, or -ENOENT when BTF has no such function. */
int btf_func_proto(const struct btf *btf, const char *name, struct btf_proto *out);
/* Prototype of a raw tracepoint (typedef btf_trace_NAME, first context
 * argument dropped); 0 or -ENOENT. */
int btf_raw_tracepoint_proto(const struct btf *btf, const char *event, struct btf_proto *out);

/* "struct file *", "int", ... for messages. */
void btf_param_describe(const struct btf_arg_info *p, char *buf, size_t len);

#endif /* RTENF_BTF_FUNC_H */
