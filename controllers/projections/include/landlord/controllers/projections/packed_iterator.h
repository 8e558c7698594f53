#pragma once

// A forward iterator over records packed one after another into a string (a
// LabelSet's labels, a TaintList's taints). `Record::read(at)` decodes the record
// at `at`, moves `at` past it and returns it as views into the string.

#include <cstddef>
#include <iterator>

namespace landlord::controllers {

template <class Record>
class PackedIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = typename Record::Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = value_type;

  PackedIterator() = default;
  explicit PackedIterator(const char* at) : at_(at) {}

  value_type operator*() const {
    const char* at = at_;
    return Record::read(at);
  }
  PackedIterator& operator++() {
    Record::read(at_);
    return *this;
  }
  PackedIterator operator++(int) {
    PackedIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const PackedIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_ = nullptr;
};

}  // namespace landlord::controllers
