#pragma once

// An object's labels in one allocation: the informer cache keeps one per Node, and
// at 30,000 nodes a map of strings per node cost more than everything else the
// projection keeps. Keys are sorted and unique; lookups scan, which is as fast as
// a tree for the dozen labels a node carries. Lengths take one byte each below
// 128, and the keys Kubernetes, GPU Feature Discovery and landlord put on nearly
// every node take one byte in all, as do their most common values (true, linux,
// the GPU products): most of a node's labels are those.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "landlord/controllers/projections/packed_iterator.h"
#include "landlord/operator/base/packed_text.h"

namespace landlord::controllers {

class LabelSet {
 public:
  using Label = std::pair<std::string_view, std::string_view>;

  // Decodes one packed label (for the iterator).
  struct Record {
    using Value = Label;
    static Label read(const char*& at);
  };
  using Iterator = PackedIterator<Record>;

  LabelSet() = default;
  // A later duplicate key replaces an earlier one, as in a JSON object.
  LabelSet(std::initializer_list<std::pair<std::string, std::string>> labels);
  explicit LabelSet(const std::map<std::string, std::string>& labels);
  explicit LabelSet(std::vector<std::pair<std::string, std::string>> labels);

  std::optional<std::string_view> get(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }
  std::size_t size() const;
  bool empty() const { return encoded_.empty(); }
  Iterator begin() const { return Iterator(encoded_.view().data()); }
  Iterator end() const {
    const std::string_view encoded = encoded_.view();
    return Iterator(encoded.data() + encoded.size());
  }
  std::map<std::string, std::string> toMap() const;
  // Heap bytes held beyond the object itself (0 when there are no labels).
  std::size_t heapBytes() const;

  bool operator==(const LabelSet&) const = default;

 private:
  // Each label, in key order, as [key][value], lengths as LEB128 varints. A key
  // is [0][length][text], or [n] for well-known key n (1-based). A value is
  // [length < 64][text], [0x40 + n] for well-known value n, or [0xff][length][text].
  kube::packed::String encoded_;
};

}  // namespace landlord::controllers
