#include "landlord/cli/arguments.h"

#include <gtest/gtest.h>

namespace landlord::cli {
namespace {

OptionSpec option(std::string name, char shortName, std::string valueName) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.shortName = shortName;
  spec.valueName = std::move(valueName);
  return spec;
}

std::vector<OptionSpec> options() {
  OptionSpec fleet = option("fleet", 'f', "FILE");
  fleet.required = true;
  OptionSpec output = option("output", 'o', "FORMAT");
  output.defaultValue = "table";
  output.choices = {"table", "json"};
  return {fleet, output, option("verbose", 'v', "")};
}

std::string usageError(const std::vector<std::string>& args) {
  try {
    parseArguments(args, options());
  } catch (const UsageError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ArgumentsTest, AcceptsLongShortAndInlineForms) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--fleet", "a.yaml", "--output", "json"},
                                             {"--fleet=a.yaml", "--output=json"},
                                             {"-f", "a.yaml", "-o", "json"},
                                             {"-fa.yaml", "-ojson"}}) {
    const Arguments parsed = parseArguments(args, options());
    EXPECT_EQ(parsed.value("fleet"), "a.yaml");
    EXPECT_EQ(parsed.value("output"), "json");
    EXPECT_FALSE(parsed.has("verbose"));
  }
}

TEST(ArgumentsTest, FillsDefaultsAndFlags) {
  const Arguments parsed = parseArguments({"-f", "a.yaml", "--verbose"}, options());
  EXPECT_EQ(parsed.value("output"), "table");
  EXPECT_TRUE(parsed.has("verbose"));
  EXPECT_FALSE(parsed.optional("missing").has_value());
}

TEST(ArgumentsTest, RejectsBadCommandLinesNamingTheOption) {
  EXPECT_EQ(usageError({}), "--fleet FILE is required");
  EXPECT_EQ(usageError({"--fleet"}), "--fleet needs a value (FILE)");
  EXPECT_EQ(usageError({"-f", "a", "--colour"}), "unknown option --colour");
  EXPECT_EQ(usageError({"-f", "a", "-o", "xml"}),
            "--output: must be one of table, json, got \"xml\"");
  EXPECT_EQ(usageError({"-f", "a", "--verbose=yes"}), "--verbose takes no value");
}

TEST(ArgumentsTest, KeepsPositionalArguments) {
  const Arguments parsed = parseArguments({"extra", "-f", "a"}, options());
  EXPECT_EQ(parsed.positional(), std::vector<std::string>{"extra"});
}

}  // namespace
}  // namespace landlord::cli
