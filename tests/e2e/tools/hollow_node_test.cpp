#include "hollow_node.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "protobuf_writer.h"

namespace landlord::hollow {
namespace {

// The length-delimited fields of one protobuf message by field number, in
// order; any other wire type fails the test (a Node needs none).
std::multimap<int, std::string> fields(std::string_view bytes) {
  std::multimap<int, std::string> out;
  std::size_t at = 0;
  auto varint = [&] {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      if (at >= bytes.size())
        throw std::runtime_error("truncated varint");
      const auto byte = static_cast<unsigned char>(bytes[at++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return value;
    }
  };
  while (at < bytes.size()) {
    const std::uint64_t key = varint();
    if ((key & 7) != 2)
      throw std::runtime_error("unexpected wire type");
    const std::uint64_t length = varint();
    if (at + length > bytes.size())
      throw std::runtime_error("truncated field");
    out.emplace(static_cast<int>(key >> 3), std::string(bytes.substr(at, length)));
    at += length;
  }
  return out;
}

std::string only(const std::multimap<int, std::string>& message, int field) {
  EXPECT_EQ(message.count(field), 1u) << "field " << field;
  const auto it = message.find(field);
  return it == message.end() ? std::string() : it->second;
}

// map<string, X> entries of `field`: key -> encoded value.
std::map<std::string, std::string> entries(const std::multimap<int, std::string>& message,
                                           int field) {
  std::map<std::string, std::string> out;
  auto [begin, end] = message.equal_range(field);
  for (auto it = begin; it != end; ++it) {
    const auto entry = fields(it->second);
    out[only(entry, 1)] = only(entry, 2);
  }
  return out;
}

placement::NodeGroupSpec h100Group() {
  placement::NodeGroupSpec group;
  group.product = "NVIDIA-H100-80GB-HBM3";
  group.gpus = 16;
  group.gpusPerNode = 8;
  return group;
}

TEST(ProtobufWriter, LengthsOver127BytesTakeTwoVarintBytes) {
  ProtobufWriter writer;
  writer.string(1, std::string(200, 'x'));
  const std::string& bytes = writer.bytes();
  ASSERT_EQ(bytes.size(), 1u + 2u + 200u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x0a);  // field 1, length-delimited
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0xc8);  // 200 = 0b1'1001000
  EXPECT_EQ(static_cast<unsigned char>(bytes[2]), 0x01);
}

TEST(HollowNode, ProtobufCarriesTheKubernetesEnvelopeAndTheNode) {
  const HollowNode node = hollowNode("colossus-1", h100Group(), 42);
  const std::string wire = toProtobuf(node);
  ASSERT_EQ(wire.substr(0, 4), std::string("k8s\0", 4));

  const auto unknown = fields(std::string_view(wire).substr(4));
  const auto typeMeta = fields(only(unknown, 1));
  EXPECT_EQ(only(typeMeta, 1), "v1");
  EXPECT_EQ(only(typeMeta, 2), "Node");

  const auto v1Node = fields(only(unknown, 2));
  const auto meta = fields(only(v1Node, 1));
  EXPECT_EQ(only(meta, 1), "colossus-1-h100-00042");
  const auto labels = entries(meta, 11);
  EXPECT_EQ(labels.at("nvidia.com/gpu.product"), "NVIDIA-H100-80GB-HBM3");
  EXPECT_EQ(labels.at("nvidia.com/gpu.count"), "8");
  EXPECT_EQ(labels.at("topology.kubernetes.io/zone"), "colossus-1");
  EXPECT_EQ(labels.at("type"), "kwok");
  EXPECT_EQ(labels.size(), node.labels.size());
  EXPECT_EQ(entries(meta, 12).at("kwok.x-k8s.io/node"), "fake");

  const auto status = fields(only(v1Node, 3));
  for (int field : {1, 2}) {  // capacity, allocatable: name -> Quantity{string = 1}
    const auto resources = entries(status, field);
    ASSERT_EQ(resources.size(), 4u) << "field " << field;
    EXPECT_EQ(only(fields(resources.at("nvidia.com/gpu")), 1), "8");
    EXPECT_EQ(only(fields(resources.at("memory")), 1), "2Ti");
  }
  EXPECT_EQ(only(status, 3), "Running");
  const auto condition = fields(only(status, 4));
  EXPECT_EQ(only(condition, 1), "Ready");
  EXPECT_EQ(only(condition, 2), "True");
  const auto info = fields(only(status, 7));
  EXPECT_EQ(only(info, 9), "linux");   // operatingSystem
  EXPECT_EQ(only(info, 10), "amd64");  // architecture
  EXPECT_EQ(info.count(1), 0u);        // machineID is empty: left out
}

TEST(HollowNode, JsonAndProtobufDescribeTheSameNode) {
  const HollowNode node = hollowNode("vera-2", h100Group(), 7);
  const nlohmann::json json = toJson(node);
  const auto v1Node = fields(only(fields(std::string_view(toProtobuf(node)).substr(4)), 2));
  const auto meta = fields(only(v1Node, 1));
  EXPECT_EQ(json["metadata"]["name"], only(meta, 1));
  for (const auto& [key, value] : entries(meta, 11)) {
    EXPECT_EQ(json["metadata"]["labels"][key], value) << key;
  }
  EXPECT_EQ(json["metadata"]["labels"].size(), entries(meta, 11).size());
  const auto status = fields(only(v1Node, 3));
  for (const auto& [name, quantity] : entries(status, 1)) {
    EXPECT_EQ(json["status"]["capacity"][name], only(fields(quantity), 1)) << name;
  }
  const auto info = fields(only(status, 7));
  EXPECT_EQ(json["status"]["nodeInfo"]["kubeletVersion"], only(info, 7));
  EXPECT_EQ(json["status"]["nodeInfo"]["osImage"], only(info, 5));
}

TEST(HollowNode, NamesCarryPoolModelAndIndex) {
  EXPECT_EQ(hollowNodeName("colossus-1", "NVIDIA-GB200", 3), "colossus-1-gb200-00003");
  EXPECT_EQ(productSlug("NVIDIA-H100-80GB-HBM3"), "h100");
  EXPECT_EQ(hollowNodeSelector("p"), "type=kwok,topology.kubernetes.io/zone=p");
}

}  // namespace
}  // namespace landlord::hollow
