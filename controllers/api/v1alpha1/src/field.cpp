// Reading JSON into typed fields with field-named errors (see field.h).
#include "field.h"

namespace landlord::api::inline v1alpha1::detail {

namespace {

constexpr std::size_t kShownValue = 40;  // characters of a wrong value quoted in a message

std::string shown(const json& value) {
  std::string text = value.dump();
  if (text.size() > kShownValue) {
    text.resize(kShownValue);
    text += "...";
  }
  return text;
}

}  // namespace

Field Field::document(const json& value, std::string_view kind, FieldErrors& errors) {
  Field root(&value, "", kind, &errors);
  return root.object();
}

Field Field::operator[](std::string_view key) const {
  std::string path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (value_ == nullptr || !value_->is_object()) {
    return Field(nullptr, std::move(path), kind_, errors_);
  }
  const auto member = value_->find(std::string(key));
  if (member == value_->end() || member->is_null()) {
    return Field(nullptr, std::move(path), kind_, errors_);
  }
  return Field(&*member, std::move(path), kind_, errors_);
}

Field Field::object() const {
  if (value_ != nullptr && !value_->is_object()) {
    error("an object");
    return Field(nullptr, path_, kind_, errors_);
  }
  return *this;
}

void Field::error(std::string_view expected) const {
  std::string message(kind_);
  message += " ";
  message += path_.empty() ? "object" : path_;
  message += ": expected ";
  message += expected;
  message += ", got ";
  message += value_ != nullptr ? shown(*value_) : "nothing";
  errors_->push_back(std::move(message));
}

bool Field::readInto(std::string& into) const {
  if (!value_->is_string()) {
    error("a string");
    return false;
  }
  into = value_->get<std::string>();
  return true;
}

bool Field::readInto(std::int64_t& into) const {
  if (!value_->is_number_integer()) {
    error("an integer");
    return false;
  }
  into = value_->get<std::int64_t>();
  return true;
}

bool Field::readInto(bool& into) const {
  if (!value_->is_boolean()) {
    error("true or false");
    return false;
  }
  into = value_->get<bool>();
  return true;
}

bool Field::readInto(std::vector<std::string>& into) const {
  if (!isList()) {
    error("a list of strings");
    return false;
  }
  into.clear();
  forEachItem([&](const Field& item) {
    std::string text;
    if (item.readInto(text)) {
      into.push_back(std::move(text));
    }
  });
  return true;
}

void Field::read(std::string& into) const {
  if (present()) {
    readInto(into);
  }
}

void Field::read(std::int64_t& into) const {
  if (present()) {
    readInto(into);
  }
}

void Field::read(bool& into) const {
  if (present()) {
    readInto(into);
  }
}

void Field::read(std::vector<std::string>& into) const {
  if (present()) {
    readInto(into);
  }
}

void Field::read(std::map<std::string, std::string>& into) const {
  const Field map = object();
  if (!map.present()) {
    return;
  }
  into.clear();
  for (const auto& [key, value] : map.value_->items()) {
    if (value.is_null()) {
      continue;
    }
    const Field entry = map[key];
    std::string text;
    if (entry.readInto(text)) {
      into.emplace(key, std::move(text));
    }
  }
}

bool Field::isList() const {
  return value_ != nullptr && value_->is_array();
}

void Field::forEachItem(const std::function<void(const Field&)>& each) const {
  for (std::size_t i = 0; i < value_->size(); ++i) {
    // A null item is present (and reported as the wrong type): lists hold no gaps.
    each(Field(&(*value_)[i], path_ + "[" + std::to_string(i) + "]", kind_, errors_));
  }
}

}  // namespace landlord::api::inline v1alpha1::detail
