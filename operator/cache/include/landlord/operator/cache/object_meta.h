#pragma once

// The identity of a cached object, kept for every object whatever the
// projection. Its four strings are packed into one allocation: as four
// std::string a node's identity cost 128 bytes of shells plus two more
// allocations (its name and uid are longer than the 15 bytes kept inline), and
// every cached node carries one.

#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace landlord::kube {

class ObjectMeta {
 public:
  ObjectMeta() = default;
  // ns is empty for cluster-scoped objects.
  ObjectMeta(std::string_view ns, std::string_view name, std::string_view uid,
             std::string_view resourceVersion);
  ObjectMeta(const ObjectMeta& other);
  ObjectMeta& operator=(const ObjectMeta& other);
  ObjectMeta(ObjectMeta&&) noexcept = default;
  ObjectMeta& operator=(ObjectMeta&&) noexcept = default;
  ~ObjectMeta() = default;

  std::string_view ns() const { return field(Field::ns); }
  std::string_view name() const { return field(Field::name); }
  std::string_view uid() const { return field(Field::uid); }
  std::string_view resourceVersion() const { return field(Field::resourceVersion); }
  // "ns/name", or "name" for a cluster-scoped object.
  std::string key() const;

  bool operator==(const ObjectMeta& other) const;

 private:
  enum class Field { ns, name, uid, resourceVersion };
  std::string_view field(Field wanted) const;
  std::size_t packedSize() const;

  std::unique_ptr<char[]> packed_;  // null when all four are empty
};

ObjectMeta objectMetaOf(const nlohmann::json& object);

}  // namespace landlord::kube
