// Times on the command line: RFC 3339, dates, offsets from now, and what is refused.
#include "time_input.h"

#include <gtest/gtest.h>

#include "landlord/cli/arguments.h"

namespace landlord::cli {
namespace {

const placement::TimePoint kNow = *parseApiTime("2026-11-26T12:00:00Z");

std::string read(const std::string& text) {
  return formatTimePoint(parseTimeOption(text, "at", kNow));
}

TEST(TimeInputTest, ReadsRfc3339DatesAndOffsets) {
  EXPECT_EQ(read("2026-12-01T00:00:00Z"), "2026-12-01T00:00:00Z");
  EXPECT_EQ(read("2026-12-01T02:00:00+02:00"), "2026-12-01T00:00:00Z");
  EXPECT_EQ(read("2026-12-01"), "2026-12-01T00:00:00Z");
  EXPECT_EQ(read("+30s"), "2026-11-26T12:00:30Z");
  EXPECT_EQ(read("+1h30m"), "2026-11-26T13:30:00Z");
  EXPECT_EQ(read("+500ms"), "2026-11-26T12:00:01Z");  // rounded up: never before the offset
}

TEST(TimeInputTest, RefusesWhatIsNotATimeNamingTheOption) {
  for (const char* text :
       {"", "tomorrow", "2026-13-01", "2026-12-01T25:00:00Z", "+", "+-5m", "+soon", "12/01/2026"}) {
    try {
      parseTimeOption(text, "until", kNow);
      ADD_FAILURE() << text << " was read as a time";
    } catch (const UsageError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("--until: ", 0), 0u) << error.what();
    }
  }
}

}  // namespace
}  // namespace landlord::cli
