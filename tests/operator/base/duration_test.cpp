#include "landlord/operator/base/duration.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace landlord::kube {
namespace {

using namespace std::chrono_literals;

TEST(DurationTest, ReadsGoDurations) {
  EXPECT_EQ(parseDuration("0"), 0ns);
  EXPECT_EQ(parseDuration("1h2m3s"), 3723s);
  EXPECT_EQ(parseDuration("1.5s"), 1500ms);
  EXPECT_EQ(parseDuration("1.5m"), 90s);
  EXPECT_EQ(parseDuration("1.5h"), 90min);
  EXPECT_EQ(parseDuration(".5s"), 500ms);
  EXPECT_EQ(parseDuration("300ms"), 300ms);
  EXPECT_EQ(parseDuration("2us"), 2us);
  EXPECT_EQ(parseDuration("2\u00b5s"), 2us);
  EXPECT_EQ(parseDuration("7ns"), 7ns);
  EXPECT_EQ(parseDuration("1m30s"), 90s);
  EXPECT_EQ(parseDuration("-1.5s"), -1500ms);
  EXPECT_EQ(parseDuration("+10s"), 10s);
  EXPECT_EQ(parseDuration("0s"), 0ns);
  // Fractions of an hour stay exact to the nanosecond, as in Go.
  EXPECT_EQ(parseDuration("0.000000001h"), 3600ns);
  EXPECT_EQ(parseDuration("2562047h"), 2562047h);
}

TEST(DurationTest, SaysWhatIsWrong) {
  const auto errorOf = [](const char* text) -> std::string {
    try {
      parseDuration(text);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "<no error>";
  };
  EXPECT_EQ(errorOf(""), "empty");
  EXPECT_EQ(errorOf("-"), "empty");
  EXPECT_EQ(errorOf("10"), "missing unit (use ns, us, ms, s, m or h)");
  EXPECT_EQ(errorOf("1h30"), "missing unit (use ns, us, ms, s, m or h)");
  EXPECT_EQ(errorOf("5d"), "unknown unit \"d\" (use ns, us, ms, s, m or h)");
  EXPECT_EQ(errorOf("5 s"), "unknown unit \" s\" (use ns, us, ms, s, m or h)");
  EXPECT_EQ(errorOf("s"), "expected a number");
  EXPECT_EQ(errorOf("."), "expected a number");
  EXPECT_EQ(errorOf("2562048h"), "too large");
  EXPECT_EQ(errorOf("99999999999999999999s"), "too large");
}

}  // namespace
}  // namespace landlord::kube
