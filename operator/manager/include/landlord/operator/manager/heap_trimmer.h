#pragma once

// Gives memory the process freed back to the operating system. glibc's free()
// returns only the top of an arena; what is freed below live allocations stays
// resident until malloc_trim() releases its whole pages. The operator's caches
// live for the whole process while each list page, watch event and node write
// parses JSON that is freed at once, so after a write storm (a 30,000-node pool
// labelled, or handed over) several MiB of freed heap stay resident (see the
// README's performance table). Runs on every replica: followers cache too.

#include <chrono>
#include <cstddef>
#include <functional>
#include <stop_token>
#include <string>

#include "landlord/operator/base/logging.h"
#include "landlord/operator/base/runnable.h"

namespace landlord::kube {

struct HeapTrimmerOptions {
  // How often the free heap is looked at.
  std::chrono::milliseconds interval{std::chrono::seconds(10)};
  // Trims only when at least this much heap is free: below it the walk costs
  // more than the pages it could return.
  std::size_t minFreeBytes = std::size_t{4} << 20;
  // The heap's free bytes now, and the trim itself (returns whether memory went
  // back to the system). glibc's mallinfo2() and malloc_trim(0) unless set.
  std::function<std::size_t()> freeBytes;
  std::function<bool()> trim;
};

class HeapTrimmer final : public Runnable {
 public:
  HeapTrimmer(HeapTrimmerOptions options, Logger log);

  std::string name() const override { return "heap trimmer"; }
  bool needsLeaderElection() const override { return false; }
  void run(std::stop_token stop) override;

  // One look: trims when enough is free. Returns whether it trimmed.
  bool trimIfWorthIt();

 private:
  HeapTrimmerOptions options_;
  Logger log_;
};

}  // namespace landlord::kube
