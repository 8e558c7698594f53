# landlord-operator and the landlord CLI in a small non-root image, for those
# who build with Docker. The root filesystem is assembled by e2e/image/rootfs
# from Debian packages, the script e2e/image/build runs without a container
# engine: both images hold the same files, the same user (65532) and the same
# configuration.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config mmdebstrap \
      libcpprest-dev libboost-dev libssl-dev libyaml-cpp-dev libspdlog-dev libfmt-dev \
      prometheus-cpp-dev nlohmann-json3-dev libgtest-dev libgmock-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANDLORD_BENCHMARKS=OFF \
 && cmake --build /build --target landlord-operator landlord \
 && e2e/image/rootfs /build /rootfs

FROM scratch
COPY --from=build /rootfs /
# Keep in step with the configuration e2e/image/build gives umoci.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The chart runs it with runAsNonRoot and a read-only root filesystem.
USER 65532:65532
EXPOSE 8080 8081 9443
ENTRYPOINT ["/usr/local/bin/landlord-operator"]
