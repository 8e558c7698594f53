#include "landlord/operator/base/base64.h"

#include <gtest/gtest.h>

namespace landlord::kube {
namespace {

TEST(Base64Test, EncodesWithPadding) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
  // One line however long: no breaks every 64 characters as PEM has.
  EXPECT_EQ(base64Encode(std::string(300, 'a')).find('\n'), std::string::npos);
}

TEST(Base64Test, DecodesAndIgnoresLineBreaks) {
  EXPECT_EQ(base64Decode("Q0EgUEVN"), "CA PEM");
  EXPECT_EQ(base64Decode("Q0VSVA=="), "CERT");
  EXPECT_EQ(base64Decode("Q0VS\nVA==\n"), "CERT");
  EXPECT_EQ(base64Decode(""), "");
  const std::string binary("\x00\x01\xff\x80 text", 8);
  EXPECT_EQ(base64Decode(base64Encode(binary)), binary);
  const std::string longText(1000, 'x');
  EXPECT_EQ(base64Decode(base64Encode(longText)), longText);
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  EXPECT_EQ(base64Decode("not base64!"), std::nullopt);
  EXPECT_EQ(base64Decode("Q0VSVA=x"), std::nullopt);
  EXPECT_EQ(base64Decode("Q0VSV"), std::nullopt);
}

}  // namespace
}  // namespace landlord::kube
