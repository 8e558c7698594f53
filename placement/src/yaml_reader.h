#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace landlord::placement::detail {

// Reads landlord's YAML files strictly: every error names the source, the line, the
// field path (e.g. "pools[1].groups[0].gpus") and the reason, and unknown fields are
// rejected so that a typo never silently falls back to a default.
class YamlReader {
 public:
  explicit YamlReader(std::string_view source) : source_(source) {}

  const std::string& source() const { return source_; }

  // Parses the text; a syntax error becomes a ParseError at yaml-cpp's mark.
  YAML::Node load(std::string_view text) const;

  [[noreturn]] void fail(const YAML::Node& at, std::string_view path,
                         std::string_view reason) const;

  void expectMap(const YAML::Node& node, std::string_view path) const;
  void expectSequence(const YAML::Node& node, std::string_view path) const;
  void allowOnlyKeys(const YAML::Node& map, std::string_view path,
                     std::initializer_list<std::string_view> keys) const;

  // The value at map[key]; fails naming the field when it is absent.
  YAML::Node required(const YAML::Node& map, std::string_view path, std::string_view key) const;
  // The value at map[key], or an undefined node when it is absent.
  static YAML::Node optional(const YAML::Node& map, std::string_view key);

  std::string scalar(const YAML::Node& node, std::string_view path) const;
  std::string nonEmptyString(const YAML::Node& node, std::string_view path) const;
  std::int64_t integer(const YAML::Node& node, std::string_view path, std::int64_t min,
                       std::int64_t max) const;

  static std::string join(std::string_view path, std::string_view key);
  static std::string index(std::string_view path, std::size_t i);

 private:
  std::string source_;
};

// Kubernetes DNS-1123 label: lowercase alphanumerics and '-', starting and ending
// alphanumeric, at most 63 characters.
bool isDns1123Label(std::string_view name);

}  // namespace landlord::placement::detail
