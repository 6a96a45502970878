# rtenf — build, test and run.  `make help` lists the targets.
#
# Pattern rules do the work: kernel/%.bpf.c -> build/kernel/%.bpf.o ->
# build/kernel/%.skel.h, proto/%.proto -> build/proto/%.pb.{c,h}; every
# user-space object waits for all generated headers, and -MMD -MP keeps the
# rebuilds exact afterwards.  Quiet by default; V=1 shows the commands.

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

BUILD    ?= build
ARCH     ?= x86
V        ?= 0

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-9s %s\n' '$(1)' '$(2)';
endif

BPF_CLANG  ?= clang-19
CC         := gcc
BPFTOOL    ?= bpftool
NANOPB_GEN ?= nanopb_generator.py
PROTOC_C   ?= protoc-c
SUDO       := $(if $(filter 0,$(shell id -u)),,sudo)

# Debian packages the build, the tests and `make run` need.  `make deps`
# installs the missing ones; every other entry point calls it once per tree.
DEPS_PKGS := clang-19 llvm-19 gcc make libbpf-dev bpftool libelf-dev zlib1g-dev \
	libyaml-dev nanopb libnanopb-dev protobuf-c-compiler libprotobuf-c-dev \
	libcriterion-dev util-linux iproute2 python3 jq \
	qemu-system-x86 busybox-static cpio
DEPS_STAMP := $(BUILD)/.deps-ok

WARN        := -Wall -Wextra -Werror
USER_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DPB_ENABLE_MALLOC=1 -O2 -g $(WARN) -MMD -MP \
	-Ikernel -Iuserspace -Icli -I$(BUILD)/kernel -I$(BUILD)/proto $(EXTRA_CFLAGS)
USER_LDLIBS := -lbpf -lelf -lz -lyaml -lprotobuf-nanopb -lpthread $(EXTRA_LDLIBS)
BPF_CFLAGS  := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) $(WARN) \
	-Wno-unused-function -Wno-unused-parameter -Ikernel -Ikernel/vmlinux/$(ARCH) -MMD -MP $(EXTRA_BPF_CFLAGS)

# --- sources ---------------------------------------------------------------
BPF_SRCS   := $(wildcard kernel/*.bpf.c)
BPF_OBJS   := $(BPF_SRCS:kernel/%.bpf.c=$(BUILD)/kernel/%.bpf.o)
SKELS      := $(BPF_SRCS:kernel/%.bpf.c=$(BUILD)/kernel/%.skel.h)
PROTOS     := $(wildcard proto/*.proto)
PB_SRCS    := $(PROTOS:proto/%.proto=$(BUILD)/proto/%.pb.c)
PB_HDRS    := $(PROTOS:proto/%.proto=$(BUILD)/proto/%.pb.h)
PBC_SRCS   := $(PROTOS:proto/%.proto=$(BUILD)/proto-c/%.pb-c.c)
GEN_HDRS   := $(SKELS) $(PB_HDRS)

LIB_SRCS   := $(wildcard userspace/*.c)
CLI_SRCS   := $(wildcard cli/*.c)
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(PB_SRCS:$(BUILD)/proto/%.c=$(BUILD)/obj/proto/%.o)
CLI_OBJS   := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)

# tests/common: helpers both test binaries link (a fake kernel for the compiler)
TCOMMON_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/common/*.c))
UNIT_SRCS  := $(wildcard tests/unit/*.c)
UNIT_OBJS  := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o) $(PBC_SRCS:$(BUILD)/proto-c/%.c=$(BUILD)/obj/proto-c/%.o) $(TCOMMON_OBJS)
INTEG_SRCS := $(wildcard tests/integration/*.c)
INTEG_OBJS := $(INTEG_SRCS:%.c=$(BUILD)/obj/%.o) $(TCOMMON_OBJS)
TBPF_SRCS  := $(wildcard tests/bpf/*.bpf.c)
TBPF_SKELS := $(TBPF_SRCS:tests/bpf/%.bpf.c=$(BUILD)/tests/bpf/%.skel.h)
TESTPROG   := $(BUILD)/tests/rtenf-testprog
# static: the policy-library tests run it inside a busybox root file system
ATTACKER   := $(BUILD)/tests/rtenf-attacker
FAKEMINER  := $(BUILD)/tests/rtenf-fakeminer
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o)

RTENF := $(BUILD)/rtenf

# vmtest: the integration tests on other kernels, under QEMU (docs/vmtest.md)
VMTEST_DIR     := $(BUILD)/vmtest
VMTEST_INITRD  := $(VMTEST_DIR)/initramfs.cpio.gz
VMTEST_TIMEOUT ?= 1800
KERNELS        ?=
VMTEST_FILTER  ?=

.PHONY: all
all: $(RTENF)

# --- dependencies ----------------------------------------------------------
.PHONY: deps
deps:
	@rm -f $(DEPS_STAMP)
	@$(MAKE) --no-print-directory $(DEPS_STAMP)

$(DEPS_STAMP):
	$(Q)missing=$$(for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS      installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
		{ echo "make: could not install $$missing; install them by hand and rerun" >&2; exit 1; }; \
	fi
	$(Q)mkdir -p $(@D) && touch $@

# --- kernel side -----------------------------------------------------------
$(BUILD)/kernel/%.bpf.o: kernel/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $(@:.o=.tmp.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.o=.tmp.o) && rm -f $(@:.o=.tmp.o)

$(BUILD)/kernel/%.skel.h: $(BUILD)/kernel/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/tests/bpf/%.bpf.o: tests/bpf/%.bpf.c | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $(@:.o=.tmp.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.o=.tmp.o) && rm -f $(@:.o=.tmp.o)

$(BUILD)/tests/bpf/%.skel.h: $(BUILD)/tests/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# Regenerates the committed CO-RE header from the running kernel's BTF.
.PHONY: vmlinux
vmlinux: | $(DEPS_STAMP)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > kernel/vmlinux/$(ARCH)/vmlinux.h

# --- protobuf --------------------------------------------------------------
$(BUILD)/proto/%.pb.c $(BUILD)/proto/%.pb.h &: proto/%.proto proto/%.options | $(DEPS_STAMP)
	$(call msg,NANOPB,$<)
	$(Q)mkdir -p $(BUILD)/proto
	$(Q)$(NANOPB_GEN) -q -I proto -f proto/$*.options -D $(BUILD)/proto $<

$(BUILD)/proto-c/%.pb-c.c $(BUILD)/proto-c/%.pb-c.h &: proto/%.proto | $(DEPS_STAMP)
	$(call msg,PROTOC-C,$<)
	$(Q)mkdir -p $(BUILD)/proto-c
	$(Q)$(PROTOC_C) -I proto --c_out=$(BUILD)/proto-c $<

# --- user space ------------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(GEN_HDRS) $(TBPF_SKELS) $(PBC_SRCS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -I$(BUILD)/proto-c -I$(BUILD)/tests/bpf -c $< -o $@

$(BUILD)/obj/proto/%.o: $(BUILD)/proto/%.c | $(GEN_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -Wno-error -c $< -o $@

$(BUILD)/obj/proto-c/%.o: $(BUILD)/proto-c/%.c | $(PBC_SRCS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -Wno-error -I$(BUILD)/proto-c -c $< -o $@

$(RTENF): $(CLI_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

# --- tests -----------------------------------------------------------------
$(UNIT_OBJS) $(INTEG_OBJS): USER_CFLAGS += -Itests/common

# the verbs are tested in-process, so the unit tests link cli/ without main()
$(BUILD)/tests/unit-tests: $(UNIT_OBJS) $(LIB_OBJS) $(filter-out %/main.o,$(CLI_OBJS))
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS) -lcriterion -lprotobuf-c

$(BUILD)/tests/integration-tests: $(INTEG_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS) -lcriterion

$(TESTPROG): tests/helpers/testprog.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) -o $@ $<

$(ATTACKER): tests/helpers/attacker.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -static -std=gnu11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $<

# no libc, no loader: nothing runs before its _start (tests/helpers/fakeminer.c)
$(FAKEMINER): tests/helpers/fakeminer.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 $(WARN) -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -o $@ $<

$(BUILD)/tests/bench: $(BENCH_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

.PHONY: test host-test unit-test integration-test
# the host's suites first, then the same integration tests on every kernel
# of vmtest/kernels
test: host-test
	$(Q)$(MAKE) --no-print-directory vmtest

host-test: unit-test integration-test

unit-test: $(BUILD)/tests/unit-tests
	$(call msg,TEST,unit)
	$(Q)$< --jobs 2 $(CRITERION_ARGS)

integration-test: $(BUILD)/tests/integration-tests $(RTENF) $(TESTPROG) $(ATTACKER)
	$(call msg,TEST,integration)
	$(Q)RTENF=$(abspath $(RTENF)) RTENF_TESTPROG=$(abspath $(TESTPROG)) $< --jobs 1 $(CRITERION_ARGS)

# The guest runs the very binaries built above, with the shared libraries
# ldd finds for them (libcriterion has no static build in Debian).
$(VMTEST_INITRD): vmtest/init vmtest/mkinitramfs.sh $(RTENF) $(BUILD)/tests/integration-tests $(TESTPROG) $(ATTACKER) \
		$(shell find policies -type f) | $(DEPS_STAMP)
	$(call msg,INITRD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)vmtest/mkinitramfs.sh -o $@ -i vmtest/init \
		-f /rtenf/build/rtenf=$(RTENF) \
		-f /rtenf/build/tests/integration-tests=$(BUILD)/tests/integration-tests \
		-f /rtenf/build/tests/rtenf-testprog=$(TESTPROG) \
		-f /rtenf/build/tests/rtenf-attacker=$(ATTACKER) \
		-d /rtenf/policies=policies -t jq

.PHONY: vmtest vmtest-selftest
vmtest: $(VMTEST_INITRD) vmtest-selftest
	$(call msg,VMTEST,$(or $(KERNELS),every kernel of vmtest/kernels)$(if $(VMTEST_FILTER), filter $(VMTEST_FILTER)))
	$(Q)vmtest/run.sh -i $< -o $(VMTEST_DIR)/run -c $(VMTEST_DIR)/cache -t $(VMTEST_TIMEOUT) \
		$(if $(KERNELS),-k '$(KERNELS)') $(if $(VMTEST_FILTER),-f '$(VMTEST_FILTER)')

# the result checker, on made-up results (no VM)
vmtest-selftest: | $(DEPS_STAMP)
	$(call msg,TEST,vmtest report)
	$(Q)vmtest/test-report.sh

.PHONY: bench
bench: $(BUILD)/tests/bench $(RTENF) $(FAKEMINER)
	$(Q)RTENF=$(abspath $(RTENF)) RTENF_FAKEMINER=$(abspath $(FAKEMINER)) $(BUILD)/tests/bench $(BENCH_ARGS)

# --- running ---------------------------------------------------------------
.PHONY: run
run: $(RTENF)
	$(Q)$(RTENF) agent --policy policies/default --skip-unsupported --mode audit --stdout compact

# --- housekeeping ----------------------------------------------------------
.PHONY: format clean help
format:
	$(Q)command -v clang-format-19 >/dev/null || $(SUDO) apt-get install -y -qq clang-format-19 >/dev/null
	$(Q)clang-format-19 --dry-run --Werror $(filter-out %/vmlinux.h,$(wildcard kernel/*.[ch] userspace/*.[ch] cli/*.[ch] tests/*/*.[ch]))

clean:
	$(Q)rm -rf $(BUILD)

help:
	@echo 'make            build build/rtenf (BPF objects embedded as skeletons)'
	@echo 'make run        agent with policies/default in audit mode (what this kernel can run), compact events'
	@echo 'make test       unit tests, integration tests on this kernel (root), then make vmtest'
	@echo 'make host-test  unit and integration tests on this kernel only'
	@echo 'make vmtest     integration tests on each kernel of vmtest/kernels under QEMU'
	@echo '                KERNELS=6.12 one kernel, VMTEST_FILTER='"'"'enforce/*'"'"' some tests'
	@echo 'make bench      overhead and memory side by side, and reaction (miner, breakout)'
	@echo '                BENCH_ARGS="--section reaction" one section'
	@echo 'make deps       install missing Debian packages'
	@echo 'make vmlinux    regenerate kernel/vmlinux/$(ARCH)/vmlinux.h from this kernel'
	@echo 'make format     check clang-format'
	@echo 'V=1             show the commands'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
