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
	qemu-system-x86 busybox-static cpio libclang-rt-19-dev
DEPS_STAMP := $(BUILD)/.deps-ok

WARN        := -Wall -Wextra -Werror
USER_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DPB_ENABLE_MALLOC=1 -O2 -g $(WARN) -MMD -MP \
	-Ikernel -Iuserspace -Icli -I$(BUILD)/kernel -I$(BUILD)/proto -I$(BUILD)/gen $(EXTRA_CFLAGS)
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
SYSCALL_TABLE := $(BUILD)/gen/syscall_table.h
GEN_HDRS   := $(SKELS) $(PB_HDRS) $(SYSCALL_TABLE)

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
# Syscall names and numbers of the build architecture, from the C library's
# headers (syscall64 arguments and lists of type syscalls).
$(SYSCALL_TABLE): userspace/gen_syscall_table.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sh $< $(CC) > $@

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

# frame pointers: the user-stack tests unwind through its functions
$(TESTPROG): tests/helpers/testprog.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -g -fno-omit-frame-pointer $(WARN) -o $@ $<

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
	$(Q)$(time_start) $< --jobs 2 $(CRITERION_ARGS); $(call time_end,unit tests)

integration-test: $(BUILD)/tests/integration-tests $(RTENF) $(TESTPROG) $(ATTACKER)
	$(call msg,TEST,integration)
	$(Q)$(time_start) RTENF=$(abspath $(RTENF)) RTENF_TESTPROG=$(abspath $(TESTPROG)) $< --jobs 1 $(CRITERION_ARGS); \
		$(call time_end,integration tests)

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

# ==== hardening: fuzzers, sanitizer builds, leak check =======================
# (docs/testing.md)  Everything here builds into its own directory and
# shares only the generated headers (skeletons, nanopb): BPF objects are
# the same ones the normal build makes.
#
#   fuzz-smoke   each libFuzzer target for FUZZ_SMOKE_SECONDS: part of make test
#   fuzz         each target for FUZZ_SECONDS, the corpus kept in build/fuzz
#   asan-test    unit and integration suites with the agent and the CLI built
#                with ASan+UBSan in build/asan; any report fails the run
#   hardening-test  fuzz-smoke and asan-test, each timed; make test runs it
#                after the host suites
# The agent's leak and RSS check over 1000 apply/getevents/delete cycles is
# an integration test (agent_memory), so it runs in both integration suites.

# $(time_start) CMD; $(call time_end,WHAT): CMD's exit status, and its time
time_start = start=$$(date +%s);
time_end   = rc=$$?; echo "  TIME      $(1): $$(( $$(date +%s) - start )) s"; exit $$rc

test: hardening-test
# after the host suites when both run (make test), on its own otherwise
hardening-test: $(if $(filter test,$(MAKECMDGOALS)),unit-test integration-test)
	$(Q)for stage in fuzz-smoke asan-unit-test asan-integration-test; do \
		start=$$(date +%s); $(MAKE) --no-print-directory $$stage; rc=$$?; \
		echo "  TIME      $$stage (with its build): $$(( $$(date +%s) - start )) s"; \
		[ $$rc -eq 0 ] || exit $$rc; \
	done

FUZZ_CC             ?= clang-19
FUZZ_SECONDS        ?= 600
FUZZ_SMOKE_SECONDS  ?= 60
FUZZ_DIR            := $(BUILD)/fuzz
FUZZ_TARGETS        := policy request event record
FUZZ_SAN            := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# clang-19 also warns of positional initializers that leave trailing fields
# zero, which gcc (the normal build) does not; that style is used on purpose
FUZZ_CFLAGS          = $(USER_CFLAGS) -Wno-missing-field-initializers -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Itests/common -Itests/unit -Itests/fuzz
FUZZ_LIB            := $(FUZZ_DIR)/librtenf.a
FUZZ_LIB_OBJS       := $(patsubst $(BUILD)/obj/%,$(FUZZ_DIR)/obj/%,$(LIB_OBJS))
FUZZ_HELPER_OBJS    := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,tests/fuzz/fuzz_kernel.c tests/fuzz/fuzz_samples.c \
	tests/common/fake_kernel.c tests/unit/event_fixtures.c)
FUZZ_BINS           := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
# -timeout: an input that keeps the agent's one thread busy this long is a bug
FUZZ_RUN_ARGS       ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_ENV            := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1

$(FUZZ_DIR)/obj/%.o: %.c | $(GEN_HDRS) $(TBPF_SKELS) $(PBC_SRCS)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/proto/%.o: $(BUILD)/proto/%.c | $(GEN_HDRS)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-error -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_HELPER_OBJS) $(FUZZ_LIB)
	$(call msg,LINK,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(USER_LDLIBS)

# the seed program runs at build time: no sanitizer, no libFuzzer main
$(FUZZ_DIR)/seed-gen: tests/fuzz/seed_gen.c tests/fuzz/fuzz_samples.c tests/unit/event_fixtures.c $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -Itests/unit -Itests/fuzz -MF $@.d -o $@ $(filter %.c %.o,$^) $(USER_LDLIBS)

# Seeds are made afresh from the tree on every run (under a second), plus
# every input that once crashed a target (tests/fuzz/regress/TARGET/).
.PHONY: fuzz-seeds
fuzz-seeds: $(FUZZ_DIR)/seed-gen
	$(Q)rm -rf $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_DIR)/seeds/event $(FUZZ_DIR)/seeds/record
	$(Q)python3 tests/fuzz/seeds.py policy $(FUZZ_DIR)/seeds/policy
	$(Q)python3 tests/fuzz/seeds.py request $(FUZZ_DIR)/seeds/policy $(FUZZ_DIR)/seeds/request
	$(Q)python3 tests/fuzz/seeds.py dict $(FUZZ_DIR)/policy.dict
	$(Q)$(FUZZ_DIR)/seed-gen $(FUZZ_DIR)/seeds/event $(FUZZ_DIR)/seeds/record
	$(Q)for t in $(FUZZ_TARGETS); do [ ! -d tests/fuzz/regress/$$t ] || cp tests/fuzz/regress/$$t/* $(FUZZ_DIR)/seeds/$$t/; done

# $(call fuzz_run,SECONDS): every target in turn; a crash, leak, timeout or
# sanitizer report stops make with the input saved in build/fuzz/crashes.
define fuzz_run
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes; \
		start=$$(date +%s); \
		echo "  FUZZ      $$t for $(1) s"; \
		$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$$t $(FUZZ_RUN_ARGS) -max_total_time=$(1) \
			$$( [ $$t = policy ] && echo -dict=$(FUZZ_DIR)/policy.dict ) \
			-artifact_prefix=$(FUZZ_DIR)/crashes/$$t- \
			$(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/seeds/$$t > $(FUZZ_DIR)/fuzz_$$t.log 2>&1; \
		rc=$$?; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE' $(FUZZ_DIR)/fuzz_$$t.log | sed 's/^/            /'; \
		echo "  FUZZ      $$t: exit $$rc after $$(( $$(date +%s) - start )) s, corpus $$(ls $(FUZZ_DIR)/corpus/$$t | wc -l) inputs"; \
		if [ $$rc -ne 0 ]; then tail -60 $(FUZZ_DIR)/fuzz_$$t.log; \
			echo "make: fuzz_$$t failed; the input is in $(FUZZ_DIR)/crashes (log: $(FUZZ_DIR)/fuzz_$$t.log)" >&2; exit 1; fi; \
	done
endef

.PHONY: hardening-test fuzz fuzz-smoke fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS) fuzz-seeds
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZ_BINS) fuzz-seeds
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

# --- ASan+UBSan: the unit and integration suites, the agent and the CLI ------
# clang-19, whose UBSan (unlike gcc 12's next to ASan) honours log_path;
# -O1 keeps stacks readable.  A report of either sanitizer ends its process
# with exit code 66 and is also written to build/asan/reports/, which must
# stay empty: a test that expects the CLI to fail, or a forked criterion
# worker, cannot hide one.
ASAN_CC      ?= clang-19
ASAN_DIR     := $(BUILD)/asan
ASAN_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS   = $(USER_CFLAGS) -Wno-missing-field-initializers -O1 $(ASAN_SAN) -Itests/common -I$(BUILD)/proto-c \
	-I$(BUILD)/tests/bpf
asan_objs     = $(patsubst $(BUILD)/obj/%,$(ASAN_DIR)/obj/%,$(1))
ASAN_RTENF   := $(ASAN_DIR)/rtenf
ASAN_REPORTS := $(abspath $(ASAN_DIR))/reports
# $(call asan_env,SUITE): reports go to $(ASAN_REPORTS)/SUITE
asan_env      = ASAN_OPTIONS=halt_on_error=1:exitcode=66:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:log_path=$(ASAN_REPORTS)/$(1)/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=66:log_path=$(ASAN_REPORTS)/$(1)/ubsan

$(ASAN_DIR)/obj/%.o: %.c | $(GEN_HDRS) $(TBPF_SKELS) $(PBC_SRCS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(ASAN_CC) $(ASAN_CFLAGS) -c $< -o $@

$(ASAN_DIR)/obj/proto/%.o: $(BUILD)/proto/%.c | $(GEN_HDRS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(ASAN_CC) $(ASAN_CFLAGS) -Wno-error -c $< -o $@

$(ASAN_DIR)/obj/proto-c/%.o: $(BUILD)/proto-c/%.c | $(PBC_SRCS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(ASAN_CC) $(ASAN_CFLAGS) -Wno-error -c $< -o $@

$(ASAN_RTENF): $(call asan_objs,$(CLI_OBJS) $(LIB_OBJS))
	$(call msg,LINK,$@)
	$(Q)$(ASAN_CC) $(ASAN_SAN) -o $@ $^ $(USER_LDLIBS)

$(ASAN_DIR)/tests/unit-tests: $(call asan_objs,$(UNIT_OBJS) $(LIB_OBJS) $(filter-out %/main.o,$(CLI_OBJS)))
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(ASAN_CC) $(ASAN_SAN) -o $@ $^ $(USER_LDLIBS) -lcriterion -lprotobuf-c

$(ASAN_DIR)/tests/integration-tests: $(call asan_objs,$(INTEG_OBJS) $(LIB_OBJS))
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(ASAN_CC) $(ASAN_SAN) -o $@ $^ $(USER_LDLIBS) -lcriterion

# $(call asan_check,SUITE): shell code that prints every report of SUITE
# and fails if there is one.
asan_check = if ls $(ASAN_REPORTS)/$(1)/* >/dev/null 2>&1; then \
		for f in $(ASAN_REPORTS)/$(1)/*; do echo "=== $$f"; cat "$$f"; done; \
		echo "make: sanitizer reports above (in $(ASAN_REPORTS)/$(1))" >&2; exit 1; fi

.PHONY: asan-build asan-unit-test asan-integration-test asan-test
asan-build: $(ASAN_RTENF) $(ASAN_DIR)/tests/unit-tests $(ASAN_DIR)/tests/integration-tests

asan-unit-test: $(ASAN_DIR)/tests/unit-tests
	$(call msg,TEST,unit under ASan+UBSan)
	$(Q)rm -rf $(ASAN_REPORTS)/unit && mkdir -p $(ASAN_REPORTS)/unit
	$(Q)$(call asan_env,unit) $< --jobs 2 $(CRITERION_ARGS); rc=$$?; $(call asan_check,unit); exit $$rc

# RTENF_ASAN tells tests that measure memory that ASan's allocator holds
# on to freed blocks (its quarantine), so RSS is not the agent's own.
asan-integration-test: $(ASAN_DIR)/tests/integration-tests $(ASAN_RTENF) $(TESTPROG)
	$(call msg,TEST,integration under ASan+UBSan)
	$(Q)rm -rf $(ASAN_REPORTS)/integration && mkdir -p $(ASAN_REPORTS)/integration
	$(Q)$(call asan_env,integration) RTENF_ASAN=1 RTENF=$(abspath $(ASAN_RTENF)) \
		RTENF_TESTPROG=$(abspath $(TESTPROG)) $< --jobs 1 $(CRITERION_ARGS); rc=$$?; \
		$(call asan_check,integration); exit $$rc

asan-test: asan-unit-test asan-integration-test

# ==== end of hardening ========================================================

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
	@echo 'make test       unit tests, integration tests on this kernel (root), make hardening-test, then make vmtest'
	@echo 'make host-test  unit and integration tests on this kernel only'
	@echo 'make hardening-test  fuzz-smoke, then both suites under ASan+UBSan (docs/testing.md)'
	@echo 'make fuzz       each fuzzer for FUZZ_SECONDS (600); fuzz-smoke: FUZZ_SMOKE_SECONDS (60)'
	@echo 'make asan-test  unit and integration suites, agent and CLI built with ASan+UBSan'
	@echo 'make vmtest     integration tests on each kernel of vmtest/kernels under QEMU'
	@echo '                KERNELS=6.12 one kernel, VMTEST_FILTER='"'"'enforce/*'"'"' some tests'
	@echo 'make bench      overhead and memory side by side, and reaction (miner, breakout)'
	@echo '                BENCH_ARGS="--section reaction" one section'
	@echo 'make deps       install missing Debian packages'
	@echo 'make vmlinux    regenerate kernel/vmlinux/$(ARCH)/vmlinux.h from this kernel'
	@echo 'make format     check clang-format'
	@echo 'V=1             show the commands'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
