// TaintList: a node's taints packed into one string.
#include "landlord/controllers/projections/taint_list.h"

#include "landlord/operator/base/packed_text.h"

namespace landlord::controllers {

TaintView TaintList::Record::read(const char*& at) {
  const std::string_view key = kube::packed::readText(at);
  const std::string_view value = kube::packed::readText(at);
  return {key, value, kube::packed::readText(at)};
}

TaintList::TaintList(const std::vector<NodeTaint>& taints) {
  for (const NodeTaint& taint : taints) {
    push_back({taint.key, taint.value, taint.effect});
  }
  encoded_.shrink_to_fit();
}

void TaintList::push_back(const TaintView& taint) {
  kube::packed::appendText(encoded_, taint.key);
  kube::packed::appendText(encoded_, taint.value);
  kube::packed::appendText(encoded_, taint.effect);
}

std::size_t TaintList::size() const {
  return static_cast<std::size_t>(std::distance(begin(), end()));
}

std::vector<NodeTaint> TaintList::toVector() const {
  std::vector<NodeTaint> out;
  for (const TaintView& taint : *this) {
    out.push_back({std::string(taint.key), std::string(taint.value), std::string(taint.effect)});
  }
  return out;
}

}  // namespace landlord::controllers
