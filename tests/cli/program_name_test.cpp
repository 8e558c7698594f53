#include "landlord/cli/program_name.h"

#include <gtest/gtest.h>

#include "duration.h"
#include "landlord/cli/arguments.h"

namespace landlord::cli {
namespace {

TEST(ProgramNameTest, KubectlPluginReadsAsTheCommandTyped) {
  EXPECT_EQ(programName("/usr/local/bin/kubectl-landlord"), "kubectl landlord");
  EXPECT_EQ(programName("kubectl-landlord"), "kubectl landlord");
}

TEST(ProgramNameTest, OtherNamesAreTheFileName) {
  EXPECT_EQ(programName("build/release/cli/landlord"), "landlord");
  EXPECT_EQ(programName("kubectl-"), "kubectl-");
  EXPECT_EQ(programName(""), "landlord");
}

TEST(DurationTest, ParsesKubectlDurations) {
  EXPECT_EQ(parseDuration("10m", "timeout"), std::chrono::minutes(10));
  EXPECT_EQ(parseDuration("1m30s", "timeout"), std::chrono::seconds(90));
  EXPECT_EQ(parseDuration("500ms", "timeout"), std::chrono::milliseconds(500));
  EXPECT_EQ(parseDuration("2h", "timeout"), std::chrono::hours(2));
  // The operator's parser: fractions work here as they do for its flags.
  EXPECT_EQ(parseDuration("1.5m", "timeout"), std::chrono::seconds(90));
}

TEST(DurationTest, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "10", "m", "0s", "-5s", "5 s", "5d"}) {
    EXPECT_THROW(parseDuration(bad, "timeout"), UsageError) << bad;
  }
  try {
    parseDuration("5d", "timeout");
    FAIL() << "5d parsed";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--timeout: \"5d\" is not a duration: unknown unit \"d\" (use ns, us, ms, s, m or "
              "h)");
  }
}

TEST(DurationTest, FormatsForPeople) {
  EXPECT_EQ(formatDuration(std::chrono::seconds(14)), "14s");
  EXPECT_EQ(formatDuration(std::chrono::seconds(125)), "2m05s");
  EXPECT_EQ(formatDuration(std::chrono::seconds(3723)), "1h02m03s");
}

}  // namespace
}  // namespace landlord::cli
