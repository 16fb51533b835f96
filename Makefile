# ociruntime: build, test, demo and benchmark. Run as root (containers need it).
SHELL := /bin/bash
CC ?= gcc
CFLAGS := -O2 -fPIC -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 -fstack-protector-strong
NATIVE_SRC := src/OciRuntime.Native/c
NATIVE_OBJ := obj/native
BIN := bin/ociruntime
DOTNET ?= dotnet
CSHARP_SOURCES := $(shell find src -name '*.cs' -o -name '*.csproj') $(wildcard schemas/*.json) Directory.Build.props src/OciRuntime/hot-methods.txt tools/embed-schemas.sh

.PHONY: build native test unit conformance stress demo bench clean deps-demo deps-test deps-bench

build: $(BIN)

# Every C file is an object of the binary; the csproj links whatever is in $(NATIVE_OBJ).
NATIVE_OBJS := $(patsubst $(NATIVE_SRC)/%.c,$(NATIVE_OBJ)/%.o,$(wildcard $(NATIVE_SRC)/*.c)) $(NATIVE_OBJ)/init_image.o
NATIVE_GEN := obj/native-gen
NATIVE_HEADERS := $(wildcard $(NATIVE_SRC)/*.h) $(NATIVE_GEN)/errno_names.h

native: $(NATIVE_OBJS)

$(NATIVE_OBJ)/%.o: $(NATIVE_SRC)/%.c $(NATIVE_HEADERS)
	@mkdir -p $(NATIVE_OBJ)
	$(CC) $(CFLAGS) -I$(NATIVE_GEN) -c $< -o $@

# glibc's names and messages of the errnos, for the init's error texts under either libc.
$(NATIVE_GEN)/errno_names.h: $(NATIVE_SRC)/init_image/errno_table.c
	@mkdir -p $(NATIVE_GEN)
	$(CC) -O2 -Wall -Wextra -Werror $< -o $(NATIVE_GEN)/errno_table
	$(NATIVE_GEN)/errno_table >$@.tmp && mv -f $@.tmp $@

# The init image: the same bootstrap and init, linked statically against musl (see c/init_image/embed.c), and
# embedded in the binary. musl's headers lack the kernel's; those come after them.
MUSL_CC ?= musl-gcc
INIT_IMAGE_DIR := obj/init-image
INIT_IMAGE := $(INIT_IMAGE_DIR)/ociruntime-init
INIT_IMAGE_OBJS := $(patsubst $(NATIVE_SRC)/%.c,$(INIT_IMAGE_DIR)/%.o,$(wildcard $(NATIVE_SRC)/*.c) $(NATIVE_SRC)/init_image/main.c)
MUSL_CFLAGS := -O2 -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 -fstack-protector-strong -ffunction-sections \
	-fdata-sections -idirafter /usr/include -idirafter /usr/include/$(shell $(CC) -print-multiarch)

$(INIT_IMAGE_DIR)/%.o: $(NATIVE_SRC)/%.c $(NATIVE_HEADERS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(MUSL_CFLAGS) -I$(NATIVE_GEN) -c $< -o $@

$(INIT_IMAGE): $(INIT_IMAGE_OBJS)
	$(MUSL_CC) -static -s -Wl,--gc-sections $^ -o $@

$(NATIVE_OBJ)/init_image.o: $(NATIVE_SRC)/init_image/embed.c $(INIT_IMAGE) $(NATIVE_HEADERS)
	@mkdir -p $(NATIVE_OBJ)
	$(CC) $(CFLAGS) -DOCIRT_INIT_IMAGE='"$(abspath $(INIT_IMAGE))"' -c $< -o $@

# One self-contained Native AOT executable; the C objects are linked in (their constructor runs before the runtime).
# Next to it, the wasm handler's engine (Wasmtime's C API library from the NuGet package), loaded only by a wasm container.
$(BIN): $(NATIVE_OBJS) $(CSHARP_SOURCES)
	$(DOTNET) publish src/OciRuntime/OciRuntime.csproj -c Release -r linux-x64 --nologo -v:q -o obj/publish \
		-p:OciRuntimeCommit=$$(git describe --dirty --long --always 2>/dev/null)
	@mkdir -p bin
	cp obj/publish/ociruntime $(BIN).tmp && mv -f $(BIN).tmp $(BIN)
	cp obj/publish/libwasmtime.so bin/libwasmtime.so.tmp && mv -f bin/libwasmtime.so.tmp bin/libwasmtime.so

# The Debian packages tools/packages.txt lists for each target, installed when missing (a fresh machine needs nothing else).
deps-demo deps-test deps-bench:
	tools/install-deps.sh $(@:deps-%=%)

# Each run keeps its results in obj/test-results/ and ends with the skipped tests, each with its reason, and the counts.
TEST_RESULTS := obj/test-results
dotnet_test = rm -f $(TEST_RESULTS)/$(2).trx; \
	$(DOTNET) test $(1) --nologo --results-directory $(TEST_RESULTS) --logger "trx;LogFileName=$(2).trx"; \
	status=$$?; tools/test-summary.py $(2) $(TEST_RESULTS)/$(2).trx; exit $$status

# The protocol tests drive the built binary's bootstrap and init.
unit: deps-test $(BIN)
	$(call dotnet_test,tests/unit/OciRuntime.Tests.Unit.csproj,unit)

conformance: deps-test $(BIN)
	$(call dotnet_test,tests/conformance/OciRuntime.Tests.Conformance.csproj,conformance)

test: deps-test $(BIN) unit conformance

# The fault stress test at full size: 1000 lifecycles, 8 workers, the runtime SIGKILLed mid-command in 10% of them,
# then no state dir, cgroup, mount or process may be left (`make test` runs a short one). OCIRUNTIME_STRESS_SEED=N replays a run.
STRESS_LIFECYCLES ?= 1000
stress: deps-test $(BIN)
	OCIRUNTIME_STRESS_LIFECYCLES=$(STRESS_LIFECYCLES) $(DOTNET) test tests/conformance/OciRuntime.Tests.Conformance.csproj --nologo \
		--filter "FullyQualifiedName~OciRuntime.Tests.Conformance.Stress" --logger "console;verbosity=detailed"

# Build, make a busybox bundle, run it, print its output.
demo: deps-demo
	$(MAKE) $(BIN)
	tools/demo.sh

# Side by side with runc and crun (installed when missing), plus what podman's seccomp profile costs each.
# The seccomp comparison goes first so that bench.sh's Markdown table ends the output. BENCH_ITERS sets both sizes.
bench: deps-bench $(BIN)
	tools/bench-seccomp.sh
	tools/bench.sh

clean:
	rm -rf bin obj src/*/bin src/*/obj tests/*/bin tests/*/obj
