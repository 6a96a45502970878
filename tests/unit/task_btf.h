/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small made-up kernel BTF for the resolve walker and the data compiler
 * tests, so they do not depend on the machine's kernel:
 *
 *   struct kuid { unsigned int val; };          typedef struct kuid kuid_t;
 *   struct cred { int usage; kuid_t uid; kuid_t euid; unsigned long long big; };
 *   struct task_struct {
 *       int pid;                         0
 *       int tgid;                        4
 *       struct task_struct *real_parent; 8
 *       const struct cred *cred;         16
 *       char comm[16];                   24
 *       union { int a; int b; };         40 (anonymous)
 *       int flags:3;                     44 (a bit field)
 *       char *name;                      48
 *       int arr[4];                      56
 *       unsigned long long big;          72
 *   };
 *   int task_fn(struct task_struct *p, int n);
 */
#ifndef RTENF_TEST_TASK_BTF_H
#define RTENF_TEST_TASK_BTF_H

struct btf;

struct btf *task_btf_new(void);

#endif /* RTENF_TEST_TASK_BTF_H */
