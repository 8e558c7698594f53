# landlord-operator and the landlord CLI in a small non-root runtime image.
# No container engine runs on the development machines, so this file is not
# built in CI; it uses exactly the Debian 12 packages scripts/install-deps uses.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libcpprest-dev libboost-dev libssl-dev libyaml-cpp-dev libspdlog-dev libfmt-dev \
      prometheus-cpp-dev nlohmann-json3-dev libgtest-dev libgmock-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANDLORD_BENCHMARKS=OFF \
 && cmake --build /build --target landlord-operator landlord \
 && strip /build/operator/landlord-operator /build/cli/landlord

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcpprest2.10 libssl3 libyaml-cpp0.7 libspdlog1.10 libfmt9 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/operator/landlord-operator /build/cli/landlord /usr/local/bin/
# The chart runs it with runAsNonRoot and a read-only root filesystem.
USER 65532:65532
EXPOSE 8080 8081 9443
ENTRYPOINT ["/usr/local/bin/landlord-operator"]
