#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "landlord/operator/webhook/admission.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

json fullReview() {
  return json::parse(R"({
    "apiVersion": "admission.k8s.io/v1",
    "kind": "AdmissionReview",
    "request": {
      "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
      "kind": {"group": "landlord.dev", "version": "v1alpha1", "kind": "PoolLease"},
      "resource": {"group": "landlord.dev", "version": "v1alpha1", "resource": "poolleases"},
      "subResource": "status",
      "requestKind": {"group": "landlord.dev", "version": "v1alpha1", "kind": "PoolLease"},
      "name": "lease-a",
      "namespace": "tenant-a",
      "operation": "UPDATE",
      "userInfo": {"username": "alice", "uid": "1", "groups": ["system:authenticated", "ops"]},
      "object": {"metadata": {"name": "lease-a"}, "spec": {"pool": "p2"}},
      "oldObject": {"metadata": {"name": "lease-a"}, "spec": {"pool": "p1"}},
      "dryRun": true,
      "options": {"kind": "UpdateOptions"}
    }
  })");
}

std::string parseError(const json& review) {
  try {
    parseAdmissionReview(review.dump());
  } catch (const AdmissionReviewError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string base64Decode(const std::string& text) {
  std::string out(text.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     static_cast<int>(text.size()));
  if (length < 0) {
    return "<not base64>";
  }
  // EVP_DecodeBlock counts the padding as zero bytes.
  const std::size_t padding =
      text.size() >= 2 ? (text.back() == '=') + (text[text.size() - 2] == '=') : 0;
  out.resize(static_cast<std::size_t>(length) - padding);
  return out;
}

TEST(AdmissionReviewTest, ParsesEveryField) {
  const AdmissionRequest request = parseAdmissionReview(fullReview().dump());
  EXPECT_EQ(request.uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(request.kind.group, "landlord.dev");
  EXPECT_EQ(request.kind.version, "v1alpha1");
  EXPECT_EQ(request.kind.kind, "PoolLease");
  EXPECT_EQ(request.resource.group, "landlord.dev");
  EXPECT_EQ(request.resource.version, "v1alpha1");
  EXPECT_EQ(request.resource.resource, "poolleases");
  EXPECT_EQ(request.subResource, "status");
  EXPECT_EQ(request.name, "lease-a");
  EXPECT_EQ(request.namespace_, "tenant-a");
  EXPECT_EQ(request.operation, "UPDATE");
  EXPECT_EQ(request.userInfo.username, "alice");
  EXPECT_EQ(request.userInfo.groups, (std::vector<std::string>{"system:authenticated", "ops"}));
  EXPECT_EQ(request.object["spec"]["pool"], "p2");
  EXPECT_EQ(request.oldObject["spec"]["pool"], "p1");
  EXPECT_TRUE(request.dryRun);
}

TEST(AdmissionReviewTest, CreateHasNoOldObjectAndDeleteNoObject) {
  json create = fullReview();
  create["request"]["operation"] = "CREATE";
  create["request"].erase("oldObject");
  create["request"].erase("dryRun");
  create["request"].erase("namespace");
  const AdmissionRequest created = parseAdmissionReview(create.dump());
  EXPECT_TRUE(created.oldObject.is_null());
  EXPECT_FALSE(created.dryRun);
  EXPECT_EQ(created.namespace_, "");
  EXPECT_EQ(created.object["spec"]["pool"], "p2");

  json remove = fullReview();
  remove["request"]["operation"] = "DELETE";
  remove["request"]["object"] = nullptr;
  const AdmissionRequest removed = parseAdmissionReview(remove.dump());
  EXPECT_TRUE(removed.object.is_null());
  EXPECT_EQ(removed.oldObject["spec"]["pool"], "p1");
}

TEST(AdmissionReviewTest, ErrorsNameTheField) {
  json noUid = fullReview();
  noUid["request"].erase("uid");
  EXPECT_EQ(parseError(noUid), "request.uid: missing");

  json v1beta1 = fullReview();
  v1beta1["apiVersion"] = "admission.k8s.io/v1beta1";
  EXPECT_EQ(parseError(v1beta1),
            "apiVersion: expected admission.k8s.io/v1, got admission.k8s.io/v1beta1");

  json wrongKind = fullReview();
  wrongKind["kind"] = "ConversionReview";
  EXPECT_EQ(parseError(wrongKind), "kind: expected AdmissionReview, got ConversionReview");

  json noRequest = fullReview();
  noRequest.erase("request");
  EXPECT_EQ(parseError(noRequest), "request: missing");

  json numericKind = fullReview();
  numericKind["request"]["kind"]["kind"] = 7;
  EXPECT_EQ(parseError(numericKind), "request.kind.kind: expected a string, got number");

  json badGroups = fullReview();
  badGroups["request"]["userInfo"]["groups"] = "ops";
  EXPECT_EQ(parseError(badGroups),
            "request.userInfo.groups: expected an array of strings, got string");

  EXPECT_EQ(parseError(json::array()), "body: expected an AdmissionReview object, got array");
  EXPECT_THROW(parseAdmissionReview("{not json"), AdmissionReviewError);
  try {
    parseAdmissionReview("{not json");
  } catch (const AdmissionReviewError& e) {
    EXPECT_NE(std::string(e.what()).find("body is not JSON"), std::string::npos) << e.what();
  }
  // Found by the fuzzer: a number past what a double holds is not JSON the
  // webhook can read either (it used to escape as a 500).
  try {
    parseAdmissionReview(R"({"apiVersion": -94553e800002})");
    ADD_FAILURE() << "a number out of range parsed";
  } catch (const AdmissionReviewError& e) {
    EXPECT_NE(std::string(e.what()).find("body is not JSON"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("number overflow"), std::string::npos) << e.what();
  }
}

TEST(AdmissionReviewTest, RendersAllowedWithTheRequestUid) {
  AdmissionRequest request;
  request.uid = "uid-1";
  const json review = json::parse(renderAdmissionReview(request, AdmissionResponse::allow()));
  EXPECT_EQ(review["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(review["kind"], "AdmissionReview");
  EXPECT_EQ(review["response"]["uid"], "uid-1");
  EXPECT_EQ(review["response"]["allowed"], true);
  EXPECT_FALSE(review["response"].contains("status"));
  EXPECT_FALSE(review["response"].contains("patch"));
  EXPECT_FALSE(review["response"].contains("patchType"));
  EXPECT_FALSE(review["response"].contains("warnings"));
}

TEST(AdmissionReviewTest, RendersDenialWithStatusAndWarnings) {
  AdmissionRequest request;
  request.uid = "uid-2";
  AdmissionResponse response =
      AdmissionResponse::deny("pool p1 is already leased to tenant-b by lease-b");
  response.warnings = {"spec.ratePerGPUHour is below the list price"};
  const json review = json::parse(renderAdmissionReview(request, response));
  EXPECT_EQ(review["response"]["uid"], "uid-2");
  EXPECT_EQ(review["response"]["allowed"], false);
  EXPECT_EQ(review["response"]["status"]["code"], 403);
  EXPECT_EQ(review["response"]["status"]["reason"], "Forbidden");
  EXPECT_EQ(review["response"]["status"]["message"],
            "pool p1 is already leased to tenant-b by lease-b");
  EXPECT_EQ(review["response"]["warnings"],
            json::array({"spec.ratePerGPUHour is below the list price"}));
}

TEST(AdmissionReviewTest, RendersPatchAsBase64JsonPatch) {
  AdmissionRequest request;
  request.uid = "uid-3";
  AdmissionResponse response = AdmissionResponse::allow();
  response.patch = json::array(
      {{{"op", "add"}, {"path", "/metadata/labels/landlord.dev~1tenant"}, {"value", "a"}}});
  const json review = json::parse(renderAdmissionReview(request, response));
  EXPECT_EQ(review["response"]["patchType"], "JSONPatch");
  const std::string encoded = review["response"]["patch"];
  EXPECT_EQ(json::parse(base64Decode(encoded)), response.patch);

  // Every padding length round-trips.
  for (const char* value : {"a", "ab", "abc"}) {
    response.patch = json::array({{{"op", "add"}, {"path", "/x"}, {"value", value}}});
    const json again = json::parse(renderAdmissionReview(request, response));
    EXPECT_EQ(json::parse(base64Decode(again["response"]["patch"])), response.patch) << value;
  }
}

TEST(AdmissionReviewTest, RefusesAPatchThatIsNotAnArray) {
  AdmissionRequest request;
  request.uid = "uid-4";
  AdmissionResponse response = AdmissionResponse::allow();
  response.patch = json::object();
  EXPECT_THROW(renderAdmissionReview(request, response), std::invalid_argument);
}

}  // namespace
}  // namespace landlord::kube
