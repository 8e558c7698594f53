#pragma once

// A node's taints in one allocation, in the order the node lists them: the
// informer cache keeps one per Node, and a vector of three-string structs cost
// three times the text it held.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/controllers/projections/packed_iterator.h"
#include "landlord/operator/base/packed_text.h"

namespace landlord::controllers {

struct NodeTaint {
  std::string key;
  std::string value;
  std::string effect;
  bool operator==(const NodeTaint&) const = default;
};

struct TaintView {
  std::string_view key;
  std::string_view value;
  std::string_view effect;
  bool operator==(const TaintView&) const = default;
};

class TaintList {
 public:
  // Decodes one packed taint (for the iterator).
  struct Record {
    using Value = TaintView;
    static TaintView read(const char*& at);
  };
  using Iterator = PackedIterator<Record>;

  TaintList() = default;
  explicit TaintList(const std::vector<NodeTaint>& taints);

  std::size_t size() const;
  bool empty() const { return encoded_.empty(); }
  Iterator begin() const { return Iterator(encoded_.view().data()); }
  Iterator end() const {
    const std::string_view encoded = encoded_.view();
    return Iterator(encoded.data() + encoded.size());
  }
  std::vector<NodeTaint> toVector() const;

  bool operator==(const TaintList&) const = default;

 private:
  // Each taint as key, value and effect, each behind its varint length.
  kube::packed::String encoded_;
};

}  // namespace landlord::controllers
