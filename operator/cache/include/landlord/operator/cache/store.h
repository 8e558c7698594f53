#pragma once

// The informer's cache: one small projection per object instead of its JSON,
// with secondary indexes computed from the full object when it arrives.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "landlord/operator/cache/object_meta.h"
#include "landlord/operator/client/resource.h"

namespace landlord::kube {

// From the full object to what controllers read. Runs once per object version.
template <class T>
using Projection = std::function<T(const nlohmann::json& object)>;

// Index values of one object, computed from the full JSON (so a label index
// works whatever the projection keeps).
using IndexFunc = std::function<std::vector<std::string>(const nlohmann::json& object)>;
using Indexers = std::map<std::string, IndexFunc>;

inline constexpr const char* kNamespaceIndex = "namespace";

// metadata.namespace.
IndexFunc namespaceIndexer();
// The value of one label, absent labels not indexed.
IndexFunc labelIndexer(std::string label);

// A projection to a pruned JSON holding only the given JSON pointers
// ("/metadata/labels", "/status/capacity/nvidia.com~1gpu").
Projection<nlohmann::json> prunedJson(std::vector<std::string> jsonPointers);

// Index values of one object, per indexer in indexer-name order.
using IndexValues = std::vector<std::vector<std::string>>;

template <class T>
struct Cached {
  ObjectMeta meta;
  T value;
  // Null when the store has no indexers: an object of an unindexed kind (a
  // Node, 30,000 times over) keeps a pointer for them, not an empty vector.
  std::unique_ptr<const IndexValues> indexValues;
};

inline bool sameIndexValues(const IndexValues* a, const IndexValues* b) {
  return a == nullptr || b == nullptr ? a == b : *a == *b;
}

// An object key split back into namespace and name (names never hold a '/'). A
// key has a '/' exactly when its object has a namespace: "/a" is no object's key.
struct KeyParts {
  std::string_view ns;
  std::string_view name;
  bool namespaced = false;
  bool operator==(const KeyParts&) const = default;
};
KeyParts keyPartsOf(const ObjectMeta& meta);
KeyParts splitObjectKey(std::string_view key);
std::size_t hashKeyParts(const KeyParts& key);

// Thread-safe: readers share, writers exclude (mutex_).
template <class T>
class Store {
 public:
  using Ptr = std::shared_ptr<const Cached<T>>;

  struct ReplaceResult {
    std::vector<Ptr> added;
    std::vector<std::pair<Ptr, Ptr>> updated;  // old, new
    std::vector<Ptr> deleted;
  };

  Store(Projection<T> projection, Indexers indexers)
      : projection_(std::move(projection)), indexers_(std::move(indexers)) {
    for (const auto& [name, _] : indexers_) {
      indexNames_.push_back(name);
    }
  }

  // Projects the object and computes its index values (no lock needed).
  Ptr makeEntry(const nlohmann::json& object) const {
    auto entry = std::make_shared<Cached<T>>();
    entry->meta = objectMetaOf(object);
    entry->value = projection_(object);
    if (!indexers_.empty()) {
      auto values = std::make_unique<IndexValues>();
      values->reserve(indexers_.size());
      for (const auto& [_, indexFunc] : indexers_) {
        values->push_back(indexFunc(object));
      }
      entry->indexValues = std::move(values);
    }
    return entry;
  }

  // Inserts or replaces; returns the previous entry or null.
  Ptr upsert(Ptr entry) {
    std::unique_lock lock(mutex_);
    return upsertLocked(std::move(entry));
  }

  // Removes; returns the removed entry or null.
  Ptr erase(const std::string& key) {
    std::unique_lock lock(mutex_);
    return eraseLocked(key);
  }

  // Makes the store hold exactly these entries; reports the difference.
  // Entries whose resourceVersion did not change count as neither.
  ReplaceResult replace(std::vector<Ptr> entries) {
    ReplaceResult result;
    std::unique_lock lock(mutex_);
    std::set<std::string> seen;
    for (Ptr& entry : entries) {
      std::string key = entry->meta.key();
      auto existing = items_.find(std::string_view(key));
      seen.insert(std::move(key));
      if (existing != items_.end() &&
          (*existing)->meta.resourceVersion() == entry->meta.resourceVersion()) {
        continue;
      }
      Ptr copy = entry;
      Ptr old = upsertLocked(std::move(entry));
      if (old) {
        result.updated.emplace_back(std::move(old), std::move(copy));
      } else {
        result.added.push_back(std::move(copy));
      }
    }
    std::vector<std::string> gone;
    for (const Ptr& entry : items_) {
      if (std::string key = entry->meta.key(); !seen.contains(key)) {
        gone.push_back(std::move(key));
      }
    }
    for (const std::string& key : gone) {
      result.deleted.push_back(eraseLocked(key));
    }
    return result;
  }

  Ptr get(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = items_.find(std::string_view(key));
    return it == items_.end() ? nullptr : *it;
  }

  std::vector<Ptr> list() const {
    std::shared_lock lock(mutex_);
    return {items_.begin(), items_.end()};
  }

  std::vector<std::string> keys() const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    out.reserve(items_.size());
    for (const Ptr& entry : items_) {
      out.push_back(entry->meta.key());
    }
    return out;
  }

  // Objects whose indexer `indexName` produced `value`. Throws
  // std::invalid_argument for an unknown index.
  std::vector<Ptr> byIndex(const std::string& indexName, const std::string& value) const {
    std::shared_lock lock(mutex_);
    if (!indexers_.contains(indexName)) {
      throw std::invalid_argument("no indexer named '" + indexName + "'");
    }
    auto index = indices_.find(indexName);
    std::vector<Ptr> out;
    if (index == indices_.end()) {
      return out;
    }
    auto keysIt = index->second.find(value);
    if (keysIt == index->second.end()) {
      return out;
    }
    for (const std::string& key : keysIt->second) {
      out.push_back(*items_.find(std::string_view(key)));
    }
    return out;
  }

  // The distinct values an index currently holds.
  std::vector<std::string> indexValues(const std::string& indexName) const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    auto index = indices_.find(indexName);
    if (index != indices_.end()) {
      for (const auto& [value, _] : index->second) {
        out.push_back(value);
      }
    }
    return out;
  }

  std::size_t size() const {
    std::shared_lock lock(mutex_);
    return items_.size();
  }

 private:
  Ptr upsertLocked(Ptr entry) {
    const std::string key = indexers_.empty() ? std::string() : entry->meta.key();
    Ptr old;
    auto it = items_.find(entry);
    if (it != items_.end()) {
      // Same key, so the entry can take the old one's place in the set.
      auto handle = items_.extract(it);
      old = std::move(handle.value());
      unindexLocked(key, *old);
      handle.value() = entry;
      items_.insert(std::move(handle));
    } else {
      items_.insert(entry);
    }
    indexLocked(key, *entry);
    return old;
  }

  Ptr eraseLocked(const std::string& key) {
    auto it = items_.find(std::string_view(key));
    if (it == items_.end()) {
      return nullptr;
    }
    Ptr old = *it;
    items_.erase(it);
    unindexLocked(key, *old);
    return old;
  }

  // The set finds an entry by its namespace and name, or by its key: no key is
  // stored beside the entry that holds it. The hash is noexcept, so libstdc++
  // keeps no hash code beside each entry either (a set node of 24 bytes, not 32,
  // and malloc's 32-byte class, not 48).
  struct EntryHash {
    using is_transparent = void;
    std::size_t operator()(const Ptr& entry) const noexcept {
      return hashKeyParts(keyPartsOf(entry->meta));
    }
    std::size_t operator()(std::string_view key) const noexcept {
      return hashKeyParts(splitObjectKey(key));
    }
  };
  struct EntryEqual {
    using is_transparent = void;
    static KeyParts parts(const Ptr& entry) { return keyPartsOf(entry->meta); }
    static KeyParts parts(std::string_view key) { return splitObjectKey(key); }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return parts(a) == parts(b);
    }
  };

  void indexLocked(const std::string& key, const Cached<T>& entry) {
    if (!entry.indexValues) {
      return;
    }
    const IndexValues& values = *entry.indexValues;
    for (std::size_t i = 0; i < indexNames_.size() && i < values.size(); ++i) {
      auto& index = indices_[indexNames_[i]];
      for (const std::string& value : values[i]) {
        index[value].insert(key);
      }
    }
  }

  void unindexLocked(const std::string& key, const Cached<T>& entry) {
    if (!entry.indexValues) {
      return;
    }
    const IndexValues& values = *entry.indexValues;
    for (std::size_t i = 0; i < indexNames_.size() && i < values.size(); ++i) {
      auto& index = indices_[indexNames_[i]];
      for (const std::string& value : values[i]) {
        auto keys = index.find(value);
        if (keys != index.end()) {
          keys->second.erase(key);
          if (keys->second.empty()) {
            index.erase(keys);
          }
        }
      }
    }
  }

  const Projection<T> projection_;
  const Indexers indexers_;
  std::vector<std::string> indexNames_;  // indexers_ keys in order

  mutable std::shared_mutex mutex_;
  std::unordered_set<Ptr, EntryHash, EntryEqual> items_;  // guarded by mutex_
  // index name -> value -> keys; guarded by mutex_
  std::unordered_map<std::string, std::unordered_map<std::string, std::set<std::string>>> indices_;
};

}  // namespace landlord::kube
