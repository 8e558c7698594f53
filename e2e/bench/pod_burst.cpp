// landlord-pod-burst: creates N pods in one namespace through the API server,
// from W workers each on its own kept-alive connection, and prints pods per
// second; or deletes every pod of the namespace. The pods carry a scheduling
// gate, so no scheduler or kubelet work is mixed into the figure: what is
// measured is the API server's create path, admission webhooks included.
//
// usage: landlord-pod-burst --kubeconfig PATH --namespace NS --pod FILE --count N
//                           [--concurrency W] [--label TEXT]
//        landlord-pod-burst --kubeconfig PATH --namespace NS --delete

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_connection.h"
#include "landlord/operator/client/kubeconfig.h"
#include "landlord/operator/client/tls_material.h"

namespace {

namespace kube = landlord::kube;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string kubeconfig;
  std::string ns;
  std::string podFile;
  int count = 0;
  int concurrency = 8;
  bool remove = false;
  std::string label = "pods";
};

Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--delete") {
      options.remove = true;
      continue;
    }
    if (i + 1 >= argc) {
      throw std::runtime_error(arg + " needs a value");
    }
    const std::string value = argv[++i];
    if (arg == "--kubeconfig") {
      options.kubeconfig = value;
    } else if (arg == "--namespace") {
      options.ns = value;
    } else if (arg == "--pod") {
      options.podFile = value;
    } else if (arg == "--count") {
      options.count = std::stoi(value);
    } else if (arg == "--concurrency") {
      options.concurrency = std::stoi(value);
    } else if (arg == "--label") {
      options.label = value;
    } else {
      throw std::runtime_error("unknown flag " + arg);
    }
  }
  if (options.ns.empty() || (!options.remove && (options.podFile.empty() || options.count < 1)) ||
      options.concurrency < 1) {
    throw std::runtime_error(
        "usage: landlord-pod-burst --kubeconfig PATH --namespace NS (--pod FILE --count N "
        "[--concurrency W] | --delete)");
  }
  return options;
}

int run(const Options& options) {
  kube::KubeconfigOptions kubeconfig;
  kubeconfig.explicitPath = options.kubeconfig;
  const kube::RestConfig config = kube::loadConfig(kubeconfig);
  const auto tls = kube::validatedTlsMaterial(config);
  const std::string collection = "/api/v1/namespaces/" + options.ns + "/pods";
  if (options.remove) {
    landlord::hollow::HttpConnection connection(config, tls);
    const kube::HttpResponse response = connection.send({"DELETE", collection, "", ""});
    if (response.status != 200) {
      throw std::runtime_error("deleting the pods of " + options.ns + ": HTTP " +
                               std::to_string(response.status) + ": " + response.body);
    }
    return 0;
  }
  std::ifstream in(options.podFile);
  json pod = json::parse(in);
  const std::string run = std::to_string(std::random_device()() % 1000000);
  std::atomic<int> next{0};
  std::atomic<int> created{0};
  std::mutex errorMutex;
  std::string firstError;
  int errors = 0;
  const auto start = Clock::now();
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < options.concurrency; ++w) {
      workers.emplace_back([&] {
        landlord::hollow::HttpConnection connection(config, tls);
        json mine = pod;
        for (int i = next++; i < options.count; i = next++) {
          mine["metadata"]["name"] = "burst-" + run + "-" + std::to_string(i);
          std::string failure;
          try {
            const kube::HttpResponse response =
                connection.send({"POST", collection, "application/json", mine.dump()});
            if (response.status == 201) {
              ++created;
              continue;
            }
            failure = "HTTP " + std::to_string(response.status) + ": " + response.body;
          } catch (const std::exception& e) {
            failure = e.what();
          }
          std::lock_guard lock(errorMutex);
          ++errors;
          if (firstError.empty()) {
            firstError = failure;
          }
        }
      });
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s: %d pods created in %.2f s by %d workers: %.1f pods/s (%d errors)\n",
              options.label.c_str(), created.load(), seconds, options.concurrency,
              created.load() / seconds, errors);
  // This client shares the machine's cores with the API server it measures.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto cpuSeconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  std::printf("%s: CPU per pod: landlord-pod-burst (this client) %.0f us\n", options.label.c_str(),
              (cpuSeconds(usage.ru_utime) + cpuSeconds(usage.ru_stime)) * 1e6 /
                  std::max(1, created.load()));
  if (!firstError.empty()) {
    std::printf("  first error: %s\n", firstError.substr(0, 300).c_str());
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "landlord-pod-burst: " << e.what() << "\n";
    return 2;
  }
}
