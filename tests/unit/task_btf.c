// SPDX-License-Identifier: GPL-2.0-only
#include "task_btf.h"

#include <criterion/criterion.h>

#include <bpf/btf.h>

struct btf *task_btf_new(void)
{
	struct btf *b = btf__new_empty();
	int t_int, t_uint, t_char, t_u64, kuid, kuid_t, cred, cred_c, cred_p, task, task_p, comm, anon, name_p, arr,
	    idx_int, proto;

	cr_assert_not_null(b);
	t_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	t_uint = btf__add_int(b, "unsigned int", 4, 0);
	t_char = btf__add_int(b, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	t_u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	idx_int = btf__add_int(b, "__ARRAY_SIZE_TYPE__", 4, 0);

	kuid = btf__add_struct(b, "kuid", 4);
	btf__add_field(b, "val", t_uint, 0, 0);
	kuid_t = btf__add_typedef(b, "kuid_t", kuid);

	cred = btf__add_struct(b, "cred", 24);
	btf__add_field(b, "usage", t_int, 0, 0);
	btf__add_field(b, "uid", kuid_t, 32, 0);
	btf__add_field(b, "euid", kuid_t, 64, 0);
	btf__add_field(b, "big", t_u64, 128, 0);
	cred_c = btf__add_const(b, cred);
	cred_p = btf__add_ptr(b, cred_c);

	comm = btf__add_array(b, idx_int, t_char, 16);
	name_p = btf__add_ptr(b, t_char);
	arr = btf__add_array(b, idx_int, t_int, 4);
	anon = btf__add_union(b, NULL, 4);
	btf__add_field(b, "a", t_int, 0, 0);
	btf__add_field(b, "b", t_int, 0, 0);

	/* the pointer to task_struct names the id task_struct gets next */
	task_p = btf__add_ptr(b, btf__type_cnt(b) + 1);
	task = btf__add_struct(b, "task_struct", 80);
	cr_assert_eq(task, task_p + 1);
	btf__add_field(b, "pid", t_int, 0, 0);
	btf__add_field(b, "tgid", t_int, 32, 0);
	btf__add_field(b, "real_parent", task_p, 64, 0);
	btf__add_field(b, "cred", cred_p, 128, 0);
	btf__add_field(b, "comm", comm, 192, 0);
	btf__add_field(b, NULL, anon, 320, 0);
	btf__add_field(b, "flags", t_int, 352, 3);
	btf__add_field(b, "name", name_p, 384, 0);
	btf__add_field(b, "arr", arr, 448, 0);
	btf__add_field(b, "big", t_u64, 576, 0);

	/* int task_fn(struct task_struct *p, int n): a kernel function */
	proto = btf__add_func_proto(b, t_int);
	btf__add_func_param(b, "p", task_p);
	btf__add_func_param(b, "n", t_int);
	btf__add_func(b, "task_fn", BTF_FUNC_GLOBAL, proto);
	return b;
}
