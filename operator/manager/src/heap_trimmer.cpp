#include "landlord/operator/manager/heap_trimmer.h"

#include <malloc.h>

#include <condition_variable>
#include <mutex>
#include <utility>

namespace landlord::kube {

HeapTrimmer::HeapTrimmer(HeapTrimmerOptions options, Logger log)
    : options_(std::move(options)), log_(std::move(log)) {
  if (!options_.freeBytes) {
    options_.freeBytes = [] { return mallinfo2().fordblks; };
  }
  if (!options_.trim) {
    options_.trim = [] { return malloc_trim(0) != 0; };
  }
}

bool HeapTrimmer::trimIfWorthIt() {
  const std::size_t free = options_.freeBytes();
  if (free < options_.minFreeBytes) {
    return false;
  }
  const bool returned = options_.trim();
  log_.debug("{} KiB of heap free: {}", free >> 10,
             returned ? "returned pages to the system" : "no whole page to return");
  return true;
}

void HeapTrimmer::run(std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  while (!stop.stop_requested()) {
    wake.wait_for(lock, stop, options_.interval, [] { return false; });
    if (!stop.stop_requested()) {
      trimIfWorthIt();
    }
  }
}

}  // namespace landlord::kube
