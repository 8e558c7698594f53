#pragma once

// A node's taints in one allocation, in the order the node lists them: the
// informer cache keeps one per Node, and a vector of three-string structs cost
// three times the text it held.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/controllers/projections/packed_iterator.h"

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

  void push_back(const TaintView& taint);
  std::size_t size() const;
  bool empty() const { return encoded_.empty(); }
  Iterator begin() const { return Iterator(encoded_.data()); }
  Iterator end() const { return Iterator(encoded_.data() + encoded_.size()); }
  std::vector<NodeTaint> toVector() const;

  bool operator==(const TaintList&) const = default;

 private:
  // Each taint as key, value and effect, each behind its varint length.
  std::string encoded_;
};

}  // namespace landlord::controllers
