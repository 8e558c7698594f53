#pragma once

// A node's taints in one allocation, in the order the node lists them: the
// informer cache keeps one per Node, and a vector of three-string structs cost
// three times the text it held.

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

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
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = TaintView;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = TaintView;

    Iterator() = default;
    TaintView operator*() const;
    Iterator& operator++();
    Iterator operator++(int);
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    friend class TaintList;
    explicit Iterator(const char* at) : at_(at) {}
    const char* at_ = nullptr;
  };

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
