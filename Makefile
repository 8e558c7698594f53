# The two commands a newcomer needs: `make demo` and `make test`.
# Both install what they need first (idempotent, fast when already done).

SHELL := /bin/bash
RELEASE_DIR ?= build/release
TEST_DIR ?= build/asan
JOBS ?= $(shell nproc)
CMAKE_COMMON := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: all deps build build-test test unit e2e demo bench format clean

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

format:
	@git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
