# The real node of a cluster instance: containerd, kubelet and kube-proxy in a
# network namespace and a mount namespace of their own. Sourced by lib.sh.
#
# The node's namespaces keep instances apart and make `down` complete:
# - network: the node's iptables rules (kube-proxy), its CNI bridge and every
#   pod interface live in it; a veth pair joins it to this machine, whose end
#   carries the API server's address (reachable from the node's pods and from
#   this machine only). Deleting the namespace deletes all of it.
# - mount: the kubelet's volume mounts, containerd's snapshots and the pods'
#   network namespace files are mounted in it only, and the paths the kubelet
#   and containerd hard-code (/var/lib/kubelet/device-plugins, /run/containerd,
#   /var/log/containers, ...) are bind mounts of this instance's directories.
# Pods run in cgroups under /landlord-<id>, next to, not under, anything else.

# Address plan of slot N (0-255), chosen free on this machine at first start:
#   10.240.N.0/30  the link: .1 this machine's end (API server), .2 the node
#   10.241.N.0/24  pod addresses (CNI bridge + host-local)
#   10.242.N.0/24  Service cluster IPs (.1 is the `kubernetes` Service)
node_id=$(printf '%s' "$cluster_dir" | sha1sum | cut -c1-8)
node_netns=landlord-$node_id
node_host_veth=llnode-$node_id
node_cgroup=/landlord-$node_id
node_dir=$cluster_dir/node
node_state_dir=/run/landlord/$node_id # the mount namespace file must not sit on a shared mount
node_mntns=$node_state_dir/mnt
node_containerd_socket=$node_state_dir/run-containerd/containerd.sock
node_name=system-node
node_role_label=node-role.kubernetes.io/system
pause_image=landlord.local/pause:1
# Directories the node sees at the usual paths, each a bind mount of one of
# this instance's own (host path on the left).
node_bind_mounts=(
  "$node_dir/var-lib-kubelet:/var/lib/kubelet"
  "$node_dir/var-lib-containerd:/var/lib/containerd"
  "$node_state_dir/run-containerd:/run/containerd"
  "$node_dir/var-lib-cni:/var/lib/cni"
  "$node_dir/etc-cni-net.d:/etc/cni/net.d"
  "$node_dir/var-log-pods:/var/log/pods"
  "$node_dir/var-log-containers:/var/log/containers"
)
# kubelet sets these machine-wide on start; `down` of the last node on this
# machine puts back what was there before the first.
kernel_tunables=(vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes)
machine_lock=/run/landlord/lock
saved_tunables=/run/landlord/kernel-tunables.before-kubelet

node_enabled() { [[ ${NODE_ENABLED:-0} == 1 ]]; }

# Runs a command in the node's network namespace.
in_node_net() { nsenter --net="/run/netns/$node_netns" -- "$@"; }
node_ctr() { ctr --address "$node_containerd_socket" --namespace k8s.io "$@"; }

with_machine_lock() { # command...: one instance at a time saves or restores the kernel tunables
  mkdir -p "$(dirname "$machine_lock")"
  local fd
  exec {fd}>"$machine_lock"
  flock "$fd"
  local rc=0
  "$@" || rc=$?
  exec {fd}>&-
  return "$rc"
}

# Why a real node cannot run here, or nothing.
node_missing_prerequisites() {
  local missing=()
  [[ $(id -u) -eq 0 ]] || missing+=("root (namespaces, cgroups and mounts)")
  local tool
  for tool in containerd containerd-shim-runc-v2 runc ctr iptables ip nsenter unshare umoci cc; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] ||
    missing+=("CNI plugins in /usr/lib/cni")
  ((${#missing[@]} == 0)) || printf '%s\n' "${missing[*]}"
}

# The first slot none of whose ranges overlaps an address or route here.
choose_node_slot() {
  python3 - <<'PY'
import ipaddress, json, subprocess, sys
def ip(*args):
    out = subprocess.run(["ip", "-j", "-4", *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out or "[]")
taken = []
for route in ip("route", "show", "table", "all"):
    dst = route.get("dst", "default")
    if dst != "default":
        taken.append(ipaddress.ip_network(dst, strict=False))
for link in ip("addr"):
    for a in link.get("addr_info", []):
        taken.append(ipaddress.ip_network(f"{a['local']}/{a['prefixlen']}", strict=False))
for n in range(256):
    mine = [ipaddress.ip_network(f"10.{b}.{n}.0/{p}") for b, p in ((240, 30), (241, 24), (242, 24))]
    if not any(m.overlaps(t) for m in mine for t in taken):
        print(n)
        sys.exit(0)
sys.exit("no free 10.240-242.N address slot on this machine")
PY
}

# Appends the node's settings to the env file being written (first start).
choose_node_settings() {
  local problems
  if [[ ${LANDLORD_REAL_NODE:-1} == 0 ]]; then
    echo NODE_ENABLED=0
    return
  fi
  problems=$(node_missing_prerequisites)
  [[ -z $problems ]] ||
    die "the real node needs: $problems (run scripts/install-deps, or LANDLORD_REAL_NODE=0 for a control plane without it)"
  local slot
  slot=$(choose_node_slot) || die "cannot choose node addresses"
  cat <<EOF
NODE_ENABLED=1
NODE_SLOT=$slot
NODE_NAME=$node_name
NODE_NETNS=$node_netns
HOST_IP=10.240.$slot.1
NODE_IP=10.240.$slot.2
POD_CIDR=10.241.$slot.0/24
SERVICE_CIDR=10.242.$slot.0/24
KUBERNETES_SERVICE_IP=10.242.$slot.1
NODE_CONTAINERD_SOCKET=$node_containerd_socket
EOF
}

# --- network ----------------------------------------------------------------

node_network_up() {
  if ! ip netns list | grep -qx "$node_netns\( (id: [0-9]*)\)\?"; then
    ip netns add "$node_netns"
  fi
  if ! ip link show "$node_host_veth" >/dev/null 2>&1; then
    ip link add "$node_host_veth" type veth peer name eth0 netns "$node_netns"
    ip addr add "$HOST_IP/30" dev "$node_host_veth"
    ip link set "$node_host_veth" up
    ip -n "$node_netns" addr add "$NODE_IP/30" dev eth0
    ip -n "$node_netns" link set lo up
    ip -n "$node_netns" link set eth0 up
    # Nothing beyond the link and the Service range (which kube-proxy
    # translates): the API server is on the link, and a Service whose endpoints
    # are not real (kwok's hollow pods) fails at once instead of leaving the
    # machine or hanging until a webhook's timeout.
    ip -n "$node_netns" route add unreachable default
    ip -n "$node_netns" route add "$SERVICE_CIDR" via "$HOST_IP"
    # This machine reaches pods and Service IPs through the node (the API
    # server calls webhooks at their Service's cluster IP).
    ip route add "$POD_CIDR" via "$NODE_IP" dev "$node_host_veth"
    ip route add "$SERVICE_CIDR" via "$NODE_IP" dev "$node_host_veth"
  fi
  # The node routes between its pods and its link; bridged pod traffic passes
  # kube-proxy's rules. Both settings belong to the node's namespace only.
  in_node_net sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
    echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables'
}

node_network_down() {
  # The pair, the routes through it, the bridge and every iptables rule of the
  # node go with its namespace.
  if ip netns list | grep -q "^$node_netns\b"; then
    ip netns del "$node_netns" || return 1
  fi
  ip link del "$node_host_veth" 2>/dev/null || true
}

# --- mount namespace, cgroups, configuration -----------------------------------

cgroup_mounts() { awk '$9 == "cgroup" || $9 == "cgroup2" {print $5}' /proc/self/mountinfo; }

node_prepare() {
  mkdir -p "$node_dir" "$node_state_dir"
  if ! mountpoint -q "$node_state_dir"; then
    mount --bind "$node_state_dir" "$node_state_dir"
  fi
  mount --make-private "$node_state_dir"
  if ! mountpoint -q "$node_mntns"; then
    touch "$node_mntns"
    unshare --mount="$node_mntns" --propagation slave true
    local pair
    for pair in "${node_bind_mounts[@]}"; do
      mkdir -p "${pair%%:*}" "${pair#*:}"
      nsenter --mount="$node_mntns" -- mount --bind "${pair%%:*}" "${pair#*:}"
    done
  fi
  local root
  for root in $(cgroup_mounts); do
    mkdir -p "$root$node_cgroup"
    # A new cpuset cgroup starts with no CPUs and no memory nodes.
    if [[ -f $root$node_cgroup/cpuset.cpus && -z $(cat "$root$node_cgroup/cpuset.cpus") ]]; then
      cat "$root/cpuset.cpus" >"$root$node_cgroup/cpuset.cpus"
      cat "$root/cpuset.mems" >"$root$node_cgroup/cpuset.mems"
    fi
  done
  write_node_configs
}

# Replaces FILE with stdin only if that changes it: kube-proxy exits when its
# configuration file changes under it.
write_if_changed() { # file
  local new
  new=$(cat)
  [[ -f $1 && $(cat "$1") == "$new" ]] || printf '%s\n' "$new" >"$1"
}

write_node_configs() {
  write_if_changed "$node_dir/containerd.toml" <<EOF
# containerd of the real node (e2e/cluster/node.sh); paths are the node's view.
version = 2
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[plugins."io.containerd.internal.v1.opt"]
  path = "/var/lib/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  # Built here and imported by up (e2e/image/build-pause); nothing is pulled.
  sandbox_image = "$pause_image"
  netns_mounts_under_state_dir = true
  # Lowering an oom_score_adj needs CAP_SYS_RESOURCE, which root lacks in some
  # sandboxes (this one included): never go below containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/etc/cni/net.d"
EOF
  write_if_changed "$node_dir/etc-cni-net.d/10-landlord.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "landlord-pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}
    }
  ]
}
EOF
  write_if_changed "$node_dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $pki_dir/kubelet-serving.crt
tlsPrivateKeyFile: $pki_dir/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki_dir/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: $node_cgroup
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
clusterDomain: cluster.local
failSwapOn: false
# Images are imported, never pulled: collecting one would break the next pod.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# This machine's disk and memory are shared; evict only when really short.
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
# A system node: only pods that tolerate it (the operator's) land here, never
# the tests' GPU workloads.
registerWithTaints:
  - {key: $node_role_label, effect: NoSchedule}
serializeImagePulls: false
EOF
  write_if_changed "$node_dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $cluster_dir/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [primary]
# The conntrack table size is machine-wide: leave it alone.
conntrack: {maxPerCore: 0}
EOF
}

save_kernel_tunables() {
  [[ -f $saved_tunables ]] && return
  local t
  for t in "${kernel_tunables[@]}"; do echo "$t=$(cat "/proc/sys/$t")"; done >"$saved_tunables"
}

# After the last node on this machine is gone.
restore_kernel_tunables() {
  [[ -f $saved_tunables ]] || return 0
  local other
  for other in /run/landlord/*/mnt; do
    [[ -e $other ]] && return 0
  done
  local line
  while IFS= read -r line; do
    echo "${line#*=}" >"/proc/sys/${line%%=*}" || say "cannot restore ${line%%=*}"
  done <"$saved_tunables"
  rm -f "$saved_tunables"
}

# --- components ---------------------------------------------------------------

start_containerd() {
  launch containerd nsenter --net="/run/netns/$node_netns" --mount="$node_mntns" -- \
    containerd --config "$node_dir/containerd.toml"
  wait_ready containerd 60 node_ctr version
  if ! node_ctr images ls -q | grep -qx "$pause_image"; then
    local archive=$node_dir/pause.oci.tar
    "$cluster_here/../image/build-pause" "$archive" "$pause_image" >/dev/null ||
      die "cannot build the pause image"
    node_ctr images import "$archive" >/dev/null || die "cannot import the pause image into the node"
  fi
}

kubelet_healthy() { in_node_net curl --silent --fail --max-time 2 http://127.0.0.1:10248/healthz; }
node_ready() {
  [[ $("$(bin_dir)/kubectl" --kubeconfig "$admin_kubeconfig" get node "$NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

start_kubelet() {
  with_machine_lock save_kernel_tunables
  launch kubelet nsenter --net="/run/netns/$node_netns" --mount="$node_mntns" -- \
    "$(bin_dir)/kubelet" --config "$node_dir/kubelet.yaml" \
    --kubeconfig "$cluster_dir/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1
  # Ready: serving its health endpoint, and its Node registered and Ready.
  wait_ready kubelet 60 eval 'kubelet_healthy && node_ready'
  # kubelet may not set node-role labels on itself; an administrator does.
  "$(bin_dir)/kubectl" --kubeconfig "$admin_kubeconfig" label node "$NODE_NAME" \
    "$node_role_label=" --overwrite >/dev/null
}

kube_proxy_healthy() { in_node_net curl --silent --fail --max-time 2 http://127.0.0.1:10256/healthz; }
# The kubernetes Service, seen from the node: kube-proxy's rules lead to the API server.
kubernetes_service_answers() {
  in_node_net curl --silent --fail --max-time 2 --cacert "$pki_dir/ca.crt" \
    --cert "$pki_dir/admin.crt" --key "$pki_dir/admin.key" "https://$KUBERNETES_SERVICE_IP/readyz"
}

start_kube_proxy() {
  launch kube-proxy nsenter --net="/run/netns/$node_netns" --mount="$node_mntns" -- \
    "$(bin_dir)/kube-proxy" --config "$node_dir/kube-proxy.yaml" --v 1
  wait_ready kube-proxy 60 eval 'kube_proxy_healthy && kubernetes_service_answers'
}

# --- teardown -----------------------------------------------------------------

# Pids of every process in the node's cgroups (its pods' containers).
node_cgroup_pids() {
  local root
  for root in $(cgroup_mounts); do
    [[ -d $root$node_cgroup ]] && find "$root$node_cgroup" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
}

# Pids of every process in the node's mount namespace (containerd's shims).
node_mntns_pids() {
  [[ -e $node_mntns ]] || return 0
  local ns pid
  ns=$(stat -L -c %i "$node_mntns" 2>/dev/null) || return 0
  for pid in /proc/[0-9]*; do
    [[ $(stat -L -c %i "$pid/ns/mnt" 2>/dev/null) == "$ns" ]] && echo "${pid#/proc/}"
  done
}

kill_and_wait() { # signal what pids...
  local signal=$1 what=$2
  shift 2
  (($# == 0)) && return 0
  kill "-$signal" "$@" 2>/dev/null || true
  local deadline=$((SECONDS + 10)) pid alive
  while ((SECONDS < deadline)); do
    alive=0
    for pid in "$@"; do [[ -d /proc/$pid ]] && alive=1; done
    ((alive == 0)) && return 0
    sleep 0.2
  done
  say "some $what survived SIGKILL: $*"
  return 1
}

# Stops the node's processes: kube-proxy and kubelet by pid, the pods'
# containers through their cgroups, containerd by pid, then its shims (the
# processes left in the node's mount namespace).
node_stop() {
  local failed=0
  stop_component kube-proxy || failed=1
  stop_component kubelet || failed=1
  # shellcheck disable=SC2046
  kill_and_wait KILL "pod containers" $(node_cgroup_pids) || failed=1
  stop_component containerd || failed=1
  local pids
  pids=$(node_mntns_pids)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    sleep 1
    # shellcheck disable=SC2046
    kill_and_wait KILL "node processes" $(node_mntns_pids) || failed=1
  fi
  return "$failed"
}

# Removes what node_stop leaves: the mount namespace (and with it every mount
# the node made), the cgroups, the network namespace, the node's files.
node_teardown() {
  local failed=0
  if [[ -n $(node_mntns_pids) ]]; then
    say "error: processes still run in the node's mount namespace: $(node_mntns_pids | xargs)"
    return 1
  fi
  if mountpoint -q "$node_mntns" 2>/dev/null; then umount "$node_mntns" || failed=1; fi
  if mountpoint -q "$node_state_dir" 2>/dev/null; then umount "$node_state_dir" || failed=1; fi
  rm -rf "$node_state_dir"
  local root
  for root in $(cgroup_mounts); do
    if [[ -d $root$node_cgroup ]]; then
      find "$root$node_cgroup" -depth -type d -exec rmdir {} + 2>/dev/null ||
        { say "error: cannot remove cgroup $root$node_cgroup"; failed=1; }
    fi
  done
  node_network_down || failed=1
  rm -rf "$node_dir"
  [[ -f $saved_tunables ]] && { with_machine_lock restore_kernel_tunables || failed=1; }
  if grep -qF "$node_state_dir" /proc/mounts || grep -qF "$node_dir/" /proc/mounts; then
    say "error: mounts of the node remain: $(grep -F -e "$node_state_dir" -e "$node_dir/" /proc/mounts)"
    failed=1
  fi
  return "$failed"
}
