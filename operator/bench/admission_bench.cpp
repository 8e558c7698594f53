// What one pod-validation call costs the operator before its handler runs:
// decoding the AdmissionReview the API server sends for a pod CREATE (the pod
// as stored, with its defaults, projected token volume and managedFields) and
// rendering the answer. The copy variant is what decoding cost while the pod
// was copied out of the parsed review instead of moved.
//   cmake --build build/release --target operator_bench
//   build/release/operator/bench/operator_bench
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "landlord/operator/webhook/admission.h"

namespace landlord::kube {
namespace {

using nlohmann::json;

// A pod as the API server passes it to validating webhooks on CREATE.
json storedPod() {
  return json::parse(R"({
    "kind": "Pod", "apiVersion": "v1",
    "metadata": {
      "name": "trainer-0", "namespace": "owner-training",
      "uid": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "creationTimestamp": "2026-11-27T20:00:00Z",
      "labels": {"app": "trainer", "landlord.dev/placement": "llm-pretrain"},
      "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
        "apiVersion": "v1", "time": "2026-11-27T20:00:00Z", "fieldsType": "FieldsV1",
        "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:landlord.dev/placement": {}}},
          "f:spec": {"f:containers": {"k:{\"name\":\"worker\"}": {".": {}, "f:image": {},
            "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {".": {}, "f:limits": {".": {},
            "f:nvidia.com/gpu": {}}, "f:requests": {".": {}, "f:nvidia.com/gpu": {}}},
            "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}},
            "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:nodeSelector": {},
            "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
            "f:terminationGracePeriodSeconds": {}, "f:tolerations": {}}}}]
    },
    "spec": {
      "volumes": [{"name": "kube-api-access-x7k2p", "projected": {"sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
          "fieldPath": "metadata.namespace"}}]}}], "defaultMode": 420}}],
      "containers": [{"name": "worker", "image": "registry.example/landlord/worker:1",
        "resources": {"limits": {"nvidia.com/gpu": "8"}, "requests": {"nvidia.com/gpu": "8"}},
        "volumeMounts": [{"name": "kube-api-access-x7k2p", "readOnly": true,
          "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent"}],
      "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
      "nodeSelector": {"topology.kubernetes.io/zone": "colossus-1"},
      "serviceAccountName": "default", "serviceAccount": "default",
      "securityContext": {}, "schedulerName": "default-scheduler",
      "tolerations": [
        {"key": "landlord.dev/tenant", "operator": "Equal", "value": "owner", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 300}],
      "priority": 0, "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority"
    },
    "status": {"phase": "Pending", "qosClass": "BestEffort"}
  })");
}

std::string podCreateReview() {
  const json review = {
      {"kind", "AdmissionReview"},
      {"apiVersion", "admission.k8s.io/v1"},
      {"request",
       {{"uid", "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"},
        {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
        {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
        {"requestKind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
        {"requestResource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
        {"name", "trainer-0"},
        {"namespace", "owner-training"},
        {"operation", "CREATE"},
        {"userInfo",
         {{"username", "system:serviceaccount:owner-training:deployer"},
          {"uid", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
          {"groups",
           {"system:serviceaccounts", "system:serviceaccounts:owner-training",
            "system:authenticated"}}}},
        {"object", storedPod()},
        {"oldObject", nullptr},
        {"dryRun", false},
        {"options",
         {{"kind", "CreateOptions"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"fieldManager", "kubectl-client-side-apply"},
          {"fieldValidation", "Strict"}}}}}};
  return review.dump();
}

void BM_DecodePodCreateReview(benchmark::State& state) {
  const std::string body = podCreateReview();
  for (auto _ : state) {
    AdmissionRequest request = parseAdmissionReview(body);
    benchmark::DoNotOptimize(request);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_DecodePodCreateReview);

void BM_DecodePodCreateReviewCopyingThePod(benchmark::State& state) {
  const std::string body = podCreateReview();
  for (auto _ : state) {
    AdmissionRequest request = parseAdmissionReview(body);
    json copied = request.object;
    benchmark::DoNotOptimize(copied);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodePodCreateReviewCopyingThePod);

void BM_RenderAllowed(benchmark::State& state) {
  const AdmissionRequest request = parseAdmissionReview(podCreateReview());
  for (auto _ : state) {
    std::string answer = renderAdmissionReview(request, AdmissionResponse::allow());
    benchmark::DoNotOptimize(answer);
  }
}
BENCHMARK(BM_RenderAllowed);

}  // namespace
}  // namespace landlord::kube

BENCHMARK_MAIN();
