#include "landlord/cli/arguments.h"

#include <algorithm>

namespace landlord::cli {

namespace {

const OptionSpec* findLong(const std::vector<OptionSpec>& options, std::string_view name) {
  for (const OptionSpec& option : options) {
    if (option.name == name) {
      return &option;
    }
  }
  return nullptr;
}

const OptionSpec* findShort(const std::vector<OptionSpec>& options, char name) {
  for (const OptionSpec& option : options) {
    if (option.shortName != '\0' && option.shortName == name) {
      return &option;
    }
  }
  return nullptr;
}

std::string displayName(const OptionSpec& option) {
  return "--" + option.name;
}

void checkChoice(const OptionSpec& option, const std::string& value) {
  if (option.choices.empty() ||
      std::find(option.choices.begin(), option.choices.end(), value) != option.choices.end()) {
    return;
  }
  std::string allowed;
  for (const std::string& choice : option.choices) {
    allowed += allowed.empty() ? "" : ", ";
    allowed += choice;
  }
  throw UsageError(displayName(option) + ": must be one of " + allowed + ", got \"" + value + "\"");
}

}  // namespace

bool Arguments::has(std::string_view option) const {
  return values_.contains(option);
}

const std::string& Arguments::value(std::string_view option) const {
  const auto found = values_.find(option);
  if (found == values_.end()) {
    std::string message("option --");
    message += option;
    message += " read but never set";
    throw std::logic_error(message);
  }
  return found->second;
}

std::optional<std::string> Arguments::optional(std::string_view option) const {
  const auto found = values_.find(option);
  if (found == values_.end()) {
    return std::nullopt;
  }
  return found->second;
}

void Arguments::set(std::string option, std::string value) {
  values_[std::move(option)] = std::move(value);
}

Arguments parseArguments(const std::vector<std::string>& args,
                         const std::vector<OptionSpec>& options) {
  Arguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const OptionSpec* option = nullptr;
    std::optional<std::string> inlineValue;
    if (arg.starts_with("--") && arg.size() > 2) {
      const std::size_t equals = arg.find('=');
      option =
          findLong(options, arg.substr(2, equals == std::string::npos ? arg.npos : equals - 2));
      if (equals != std::string::npos) {
        inlineValue = arg.substr(equals + 1);
      }
    } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
      option = findShort(options, arg[1]);
      if (arg.size() > 2) {
        inlineValue = arg.substr(2);
      }
    } else {
      parsed.addPositional(arg);
      continue;
    }
    if (option == nullptr) {
      throw UsageError("unknown option " + arg);
    }
    if (option->valueName.empty()) {
      if (inlineValue) {
        throw UsageError(displayName(*option) + " takes no value");
      }
      parsed.set(option->name, "true");
      continue;
    }
    if (!inlineValue) {
      if (i + 1 >= args.size()) {
        throw UsageError(displayName(*option) + " needs a value (" + option->valueName + ")");
      }
      inlineValue = args[++i];
    }
    checkChoice(*option, *inlineValue);
    parsed.set(option->name, *inlineValue);
  }
  for (const OptionSpec& option : options) {
    if (parsed.has(option.name)) {
      continue;
    }
    if (option.required) {
      throw UsageError(displayName(option) + " " + option.valueName + " is required");
    }
    if (option.defaultValue) {
      parsed.set(option.name, *option.defaultValue);
    }
  }
  return parsed;
}

}  // namespace landlord::cli
