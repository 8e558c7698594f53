#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace landlord::cli {

// The command line was wrong: print the reason and the command's usage, exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;       // long name without dashes: "fleet"
  char shortName = '\0';  // 'o' for -o, or none
  std::string valueName;  // "FILE"; empty for a flag without a value
  std::string help;
  bool required = false;
  std::optional<std::string> defaultValue;
  std::vector<std::string> choices;  // empty: any value
};

class Arguments {
 public:
  bool has(std::string_view option) const;
  // The value given or the default; throws std::logic_error if the command never
  // declared the option or it has no value (a programming error, not a user one).
  const std::string& value(std::string_view option) const;
  std::optional<std::string> optional(std::string_view option) const;
  const std::vector<std::string>& positional() const { return positional_; }

  void set(std::string option, std::string value);
  void addPositional(std::string value) { positional_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Accepts --name VALUE, --name=VALUE, -o VALUE, -oVALUE and flags; fills defaults;
// throws UsageError naming the option for unknown options, missing values,
// missing required options and values outside `choices`.
Arguments parseArguments(const std::vector<std::string>& args,
                         const std::vector<OptionSpec>& options);

}  // namespace landlord::cli
