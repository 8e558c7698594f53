# The two commands a newcomer needs: `make demo` and `make test`.
# Both install what they need first (idempotent, fast when already done).

SHELL := /bin/bash
RELEASE_DIR ?= build/release
TEST_DIR ?= build/asan
JOBS ?= $(shell nproc)
CMAKE_COMMON := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

FUZZ_DIR ?= build/fuzz
FUZZ_SECONDS ?= 600

.PHONY: all deps build build-test test unit e2e demo bench fuzz format clean

all: build

deps:
	@scripts/install-deps

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release -DLANDLORD_SANITIZE=OFF

$(TEST_DIR)/build.ninja:
	cmake -S . -B $(TEST_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DLANDLORD_SANITIZE=ON

build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

build-test: deps $(TEST_DIR)/build.ninja
	cmake --build $(TEST_DIR) -j $(JOBS)

# Unit tests (ASan + UBSan), then end-to-end tests on a local control plane
# that the e2e fixture starts and stops.
test: build-test
	ctest --test-dir $(TEST_DIR) -L unit --output-on-failure -j $(JOBS)
	ctest --test-dir $(TEST_DIR) -L e2e --output-on-failure

unit: build-test
	ctest --test-dir $(TEST_DIR) -L unit --output-on-failure -j $(JOBS)

e2e: build-test
	ctest --test-dir $(TEST_DIR) -L e2e --output-on-failure

demo: build
	@LANDLORD_BUILD_DIR=$(RELEASE_DIR) e2e/demo

bench: build
	@LANDLORD_BUILD_DIR=$(RELEASE_DIR) e2e/bench/run-all

# The libFuzzer target for HTTP requests and AdmissionReviews, built with
# clang, run for FUZZ_SECONDS; what it finds lands in $(FUZZ_DIR) as crash-*.
fuzz:
	@scripts/install-deps --fuzz
	cmake -S . -B $(FUZZ_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DLANDLORD_FUZZ=ON -DLANDLORD_WERROR=OFF -DLANDLORD_BENCHMARKS=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target front_door_fuzz
	mkdir -p $(FUZZ_DIR)/corpus
	cd $(FUZZ_DIR) && tests/fuzz/front_door_fuzz -max_total_time=$(FUZZ_SECONDS) \
	  -print_final_stats=1 corpus $(CURDIR)/tests/fuzz/seeds

format:
	@git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
