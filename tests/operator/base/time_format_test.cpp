#include "landlord/operator/base/time_format.h"

#include <gtest/gtest.h>

namespace landlord::kube {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// 2026-11-25T03:04:05Z
const system_clock::time_point kInstant = sys_days(2026y / November / 25) + 3h + 4min + 5s;

TEST(TimeFormatTest, FormatsToTheSecondAndTheMicrosecond) {
  EXPECT_EQ(formatTime(kInstant), "2026-11-25T03:04:05Z");
  EXPECT_EQ(formatTime(kInstant + 999ms), "2026-11-25T03:04:05Z");
  EXPECT_EQ(formatMicroTime(kInstant + 123456789ns), "2026-11-25T03:04:05.123456Z");
  EXPECT_EQ(formatMicroTime(kInstant), "2026-11-25T03:04:05.000000Z");
  EXPECT_EQ(formatTime(sys_days(1969y / December / 31) + 23h + 59min + 59s),
            "1969-12-31T23:59:59Z");
}

TEST(TimeFormatTest, ParsesFractionsAndOffsets) {
  EXPECT_EQ(parseTime("2026-11-25T03:04:05Z"), kInstant);
  EXPECT_EQ(parseTime("2026-11-25t03:04:05z"), kInstant);
  EXPECT_EQ(parseTime("2026-11-25T03:04:05.5Z"), kInstant + 500ms);
  EXPECT_EQ(parseTime("2026-11-25T03:04:05.123456Z"), kInstant + 123456us);
  EXPECT_EQ(parseTime("2026-11-25T03:04:05.123456789Z"), kInstant + 123456789ns);
  EXPECT_EQ(parseTime("2026-11-25T03:04:05.1234567891Z"), kInstant + 123456789ns);
  EXPECT_EQ(parseTime("2026-11-25T05:34:05+02:30"), kInstant);
  EXPECT_EQ(parseTime("2026-11-24T22:04:05.25-05:00"), kInstant + 250ms);
  EXPECT_EQ(parseTime("2024-02-29T00:00:00Z"), system_clock::time_point(sys_days(2024y / 2 / 29)));
}

TEST(TimeFormatTest, RoundTrips) {
  const auto now = system_clock::now();
  EXPECT_EQ(parseTime(formatTime(now)), floor<seconds>(now));
  EXPECT_EQ(parseTime(formatMicroTime(now)), floor<microseconds>(now));
}

TEST(TimeFormatTest, RefusesWhatIsNotRfc3339) {
  for (const char* bad :
       {"", "2026-11-25", "2026-11-25T03:04:05", "2026-11-25 03:04:05Z", "2026-11-25T03:04:05.Z",
        "2026-11-25T03:04:05+0200", "2026-11-25T03:04:05Zjunk", "2026-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T03:60:00Z",
        "2026-11-25T03:04:05+24:00", "26-11-25T03:04:05Z", "2026-11-25T03:04:5Z"}) {
    EXPECT_EQ(parseTime(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace landlord::kube
