// LabelSet: sorted labels packed into one string.
#include "landlord/controllers/projections/label_set.h"

#include <algorithm>
#include <cstring>

namespace landlord::controllers {

namespace {

using Length = std::uint32_t;

Length readLength(const char* at) {
  Length length = 0;
  std::memcpy(&length, at, sizeof length);
  return length;
}

void appendField(std::string& out, std::string_view field) {
  const auto length = static_cast<Length>(field.size());
  out.append(reinterpret_cast<const char*>(&length), sizeof length);
  out.append(field);
}

std::string encode(std::vector<std::pair<std::string, std::string>> labels) {
  // Stable, so that of two equal keys the later (kept below) is the later given.
  std::stable_sort(labels.begin(), labels.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t bytes = 0;
  for (const auto& [key, value] : labels) {
    bytes += 2 * sizeof(Length) + key.size() + value.size();
  }
  std::string out;
  out.reserve(bytes);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i + 1 < labels.size() && labels[i + 1].first == labels[i].first) {
      continue;
    }
    appendField(out, labels[i].first);
    appendField(out, labels[i].second);
  }
  out.shrink_to_fit();
  return out;
}

}  // namespace

LabelSet::Label LabelSet::Iterator::operator*() const {
  const Length keyLength = readLength(at_);
  const char* key = at_ + sizeof(Length);
  const char* valueAt = key + keyLength;
  return {std::string_view(key, keyLength),
          std::string_view(valueAt + sizeof(Length), readLength(valueAt))};
}

LabelSet::Iterator& LabelSet::Iterator::operator++() {
  const char* valueAt = at_ + sizeof(Length) + readLength(at_);
  at_ = valueAt + sizeof(Length) + readLength(valueAt);
  return *this;
}

LabelSet::Iterator LabelSet::Iterator::operator++(int) {
  Iterator before = *this;
  ++*this;
  return before;
}

LabelSet::LabelSet(std::initializer_list<std::pair<std::string, std::string>> labels)
    : LabelSet(std::vector<std::pair<std::string, std::string>>(labels)) {}

LabelSet::LabelSet(const std::map<std::string, std::string>& labels)
    : LabelSet(std::vector<std::pair<std::string, std::string>>(labels.begin(), labels.end())) {}

LabelSet::LabelSet(std::vector<std::pair<std::string, std::string>> labels)
    : encoded_(encode(std::move(labels))) {}

std::optional<std::string_view> LabelSet::get(std::string_view key) const {
  for (const auto& [labelKey, value] : *this) {
    if (labelKey == key) {
      return value;
    }
    if (labelKey > key) {
      break;
    }
  }
  return std::nullopt;
}

std::size_t LabelSet::size() const {
  return static_cast<std::size_t>(std::distance(begin(), end()));
}

std::map<std::string, std::string> LabelSet::toMap() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : *this) {
    out.emplace(key, value);
  }
  return out;
}

std::size_t LabelSet::heapBytes() const {
  return encoded_.capacity() > std::string().capacity() ? encoded_.capacity() + 1 : 0;
}

}  // namespace landlord::controllers
