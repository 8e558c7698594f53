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
  std::string encoded;
  for (const NodeTaint& taint : taints) {
    kube::packed::appendText(encoded, taint.key);
    kube::packed::appendText(encoded, taint.value);
    kube::packed::appendText(encoded, taint.effect);
  }
  encoded_ = kube::packed::String(encoded);
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
