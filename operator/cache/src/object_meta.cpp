#include "landlord/operator/cache/object_meta.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "landlord/operator/base/packed_text.h"
#include "landlord/operator/client/resource.h"

namespace landlord::kube {

ObjectMeta::ObjectMeta(std::string_view ns, std::string_view name, std::string_view uid,
                       std::string_view resourceVersion) {
  if (ns.empty() && name.empty() && uid.empty() && resourceVersion.empty()) {
    return;
  }
  std::size_t size = 0;
  for (std::string_view part : {ns, name, uid, resourceVersion}) {
    size += packed::textBytes(part);
  }
  packed_ = std::make_unique_for_overwrite<char[]>(size);
  char* at = packed_.get();
  for (std::string_view part : {ns, name, uid, resourceVersion}) {
    at = packed::writeText(at, part);
  }
}

ObjectMeta::ObjectMeta(const ObjectMeta& other) {
  if (other.packed_) {
    const std::size_t size = other.packedSize();
    packed_ = std::make_unique_for_overwrite<char[]>(size);
    std::memcpy(packed_.get(), other.packed_.get(), size);
  }
}

ObjectMeta& ObjectMeta::operator=(const ObjectMeta& other) {
  if (this != &other) {
    *this = ObjectMeta(other);
  }
  return *this;
}

std::string_view ObjectMeta::field(Field wanted) const {
  if (!packed_) {
    return {};
  }
  const char* at = packed_.get();
  for (Field skipped = Field::ns; skipped != wanted;
       skipped = static_cast<Field>(static_cast<int>(skipped) + 1)) {
    packed::readText(at);
  }
  return packed::readText(at);
}

std::size_t ObjectMeta::packedSize() const {
  const std::string_view last = resourceVersion();
  return static_cast<std::size_t>(last.data() + last.size() - packed_.get());
}

std::string ObjectMeta::key() const {
  return objectKey(ns(), name());
}

bool ObjectMeta::operator==(const ObjectMeta& other) const {
  return ns() == other.ns() && name() == other.name() && uid() == other.uid() &&
         resourceVersion() == other.resourceVersion();
}

ObjectMeta objectMetaOf(const nlohmann::json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) {
    return {};
  }
  auto text = [&metadata](const char* field) -> std::string_view {
    auto value = metadata->find(field);
    return value != metadata->end() && value->is_string()
               ? std::string_view(value->get_ref<const std::string&>())
               : std::string_view();
  };
  return ObjectMeta(text("namespace"), text("name"), text("uid"), text("resourceVersion"));
}

}  // namespace landlord::kube
