#include "table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace landlord::cli {
namespace {

TEST(TableTest, AlignsLeftAndRightColumns) {
  Table table({{"NAME"}, {"GPUS", Align::Right}, {"KIND"}});
  table.addRow({"colossus-1", "220,000", "mixed"});
  table.addRow({"p", "8", "homogeneous"});
  std::ostringstream out;
  table.print(out);
  EXPECT_EQ(out.str(),
            "NAME           GPUS  KIND\n"
            "colossus-1  220,000  mixed\n"
            "p                 8  homogeneous\n");
}

TEST(TableTest, RejectsRowsOfTheWrongWidth) {
  Table table({{"A"}, {"B"}});
  EXPECT_THROW(table.addRow({"only one"}), std::logic_error);
}

}  // namespace
}  // namespace landlord::cli
