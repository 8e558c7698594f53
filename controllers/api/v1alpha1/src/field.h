#pragma once

// Reading one JSON document into typed fields (private to the API library): a
// Field knows its path, so a value of the wrong type is reported as
// "<Kind> <path>: expected <what>, got <value>" and its target keeps its default.
// Absent and null fields are simply absent.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/api/v1alpha1/meta.h"

namespace landlord::api::inline v1alpha1::detail {

class Field {
 public:
  // The whole document of `kind`; errors go to `errors`, which must outlive it.
  static Field document(const json& value, std::string_view kind, FieldErrors& errors);

  bool present() const { return value_ != nullptr; }
  const std::string& path() const { return path_; }

  // A member of this object (absent when this is absent). Reach objects through
  // object(), which reports one that is not an object.
  Field operator[](std::string_view key) const;
  // This field when it is an object; absent (and reported) when it is anything else.
  Field object() const;

  // Each read leaves `into` alone when the field is absent or of the wrong type.
  void read(std::string& into) const;
  void read(std::int64_t& into) const;
  void read(bool& into) const;
  void read(std::vector<std::string>& into) const;            // strings; others reported, skipped
  void read(std::map<std::string, std::string>& into) const;  // string values; same
  template <class T>
  void read(std::optional<T>& into) const {
    if (!present()) {
      return;
    }
    T value{};
    if (readInto(value)) {
      into = std::move(value);
    }
  }

  // A list of objects: `each(item, entry)` decodes one item (an object Field) into a
  // default-constructed entry. An item that is not an object is reported and skipped.
  template <class T, class Each>
  void readList(std::vector<T>& into, Each each) const {
    if (!present()) {
      return;
    }
    if (!isList()) {
      error("a list");
      return;
    }
    into.clear();
    forEachItem([&](const Field& item) {
      const Field entry = item.object();
      if (entry.present()) {
        T decoded{};
        each(entry, decoded);
        into.push_back(std::move(decoded));
      }
    });
  }
  template <class T, class Each>
  void readList(std::optional<std::vector<T>>& into, Each each) const {
    if (!present()) {
      return;
    }
    std::vector<T> list;
    if (isList()) {
      readList(list, each);
      into = std::move(list);
    } else {
      error("a list");
    }
  }

  // Reports this field as not being `expected` ("an integer").
  void error(std::string_view expected) const;
  // How many errors have been reported so far for the document.
  std::size_t errorCount() const { return errors_->size(); }

 private:
  Field(const json* value, std::string path, std::string_view kind, FieldErrors* errors)
      : value_(value), path_(std::move(path)), kind_(kind), errors_(errors) {}
  bool readInto(std::string& into) const;
  bool readInto(std::int64_t& into) const;
  bool readInto(bool& into) const;
  bool readInto(std::vector<std::string>& into) const;
  bool isList() const;
  void forEachItem(const std::function<void(const Field&)>& each) const;

  const json* value_;  // null when absent
  std::string path_;   // "spec.drain.timeoutSeconds", "status.composition[2].model"
  std::string_view kind_;
  FieldErrors* errors_;
};

}  // namespace landlord::api::inline v1alpha1::detail
