# Shared by up, down, status and restart. Sourced, never run.
# One cluster instance lives in one directory ($LANDLORD_CLUSTER_DIR): its
# certificates, kubeconfigs, chosen ports, pid files and logs. Two directories
# give two independent instances; ports are chosen free at first start.

cluster_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$cluster_here/../.." && pwd)
# shellcheck source=versions.env
source "$cluster_here/versions.env"

cluster_dir=${LANDLORD_CLUSTER_DIR:-$repo_root/.cache/cluster}
pki_dir=$cluster_dir/pki
log_dir=$cluster_dir/logs
pid_dir=$cluster_dir/pids
env_file=$cluster_dir/env
admin_kubeconfig=$cluster_dir/admin.kubeconfig

# Stop order: dependants first, etcd last. The real node's (node.sh) run only
# when the instance has one (NODE_ENABLED in its env file).
control_plane_components=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
node_components=(kube-proxy kubelet containerd)
components=("${node_components[@]}" "${control_plane_components[@]}")

say() { printf '[cluster] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# shellcheck source=node.sh
source "$cluster_here/node.sh"

# The components this instance runs, in start order (env file loaded).
instance_components() {
  local started=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
  node_enabled && started+=(containerd kubelet kube-proxy)
  printf '%s\n' "${started[@]}"
}

bin_dir() {
  if [[ -z ${LANDLORD_BIN_DIR:-} ]]; then
    LANDLORD_BIN_DIR=$("$cluster_here/install-binaries" | tail -n 1)
    export LANDLORD_BIN_DIR
  fi
  printf '%s' "$LANDLORD_BIN_DIR"
}

pid_of() {
  local f=$pid_dir/$1.pid
  [[ -f $f ]] && cat "$f"
}

# True when the pid file names a live process that is still the component we
# started (a recycled pid belongs to someone else and must never be killed).
component_alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n $pid && -d /proc/$pid ]] || return 1
  local exe
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ $(basename "$exe") == "$1" ]]
}

# While a component starts, its pid first runs the launcher (setsid, env,
# nsenter) that then execs it: alive means running and not yet reaped.
component_running() {
  local pid state
  pid=$(pid_of "$1") || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# User + system CPU seconds a process has used so far.
cpu_seconds() { # pid
  awk -v tick="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / tick }' "/proc/$1/stat"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Ports (and the real node's addresses) are chosen once per instance and kept,
# so a restarted component comes back where its clients expect it.
load_or_choose_ports() {
  if [[ -f $env_file ]]; then
    # shellcheck disable=SC1090
    source "$env_file"
    return
  fi
  # Two instances starting at once must not pick the same node addresses: the
  # lock is held until `up` has created them (node_network_up).
  [[ ${LANDLORD_REAL_NODE:-1} == 0 ]] || take_machine_lock
  local node_settings
  node_settings=$(choose_node_settings)
  ETCD_CLIENT_PORT=$(free_port)
  ETCD_PEER_PORT=$(free_port)
  APISERVER_PORT=$(free_port)
  SCHEDULER_PORT=$(free_port)
  CONTROLLER_MANAGER_PORT=$(free_port)
  KWOK_PORT=$(free_port)
  ETCD_DATA_DIR=${LANDLORD_ETCD_DATA_DIR:-$(etcd_data_default)}
  # With a real node the API server listens on this machine's end of the
  # node's link, where pods reach it; without one, on loopback.
  local apiserver_host=127.0.0.1
  [[ $node_settings == *NODE_ENABLED=1* ]] && apiserver_host=$(sed -n 's/^HOST_IP=//p' <<<"$node_settings")
  cat >"$env_file" <<EOF
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
ETCD_ENDPOINT=http://127.0.0.1:$ETCD_CLIENT_PORT
ETCD_DATA_DIR=$ETCD_DATA_DIR
APISERVER_PORT=$APISERVER_PORT
APISERVER_HOST=$apiserver_host
APISERVER_URL=https://$apiserver_host:$APISERVER_PORT
SCHEDULER_PORT=$SCHEDULER_PORT
CONTROLLER_MANAGER_PORT=$CONTROLLER_MANAGER_PORT
KWOK_PORT=$KWOK_PORT
ADMIN_KUBECONFIG=$admin_kubeconfig
CA_CERT=$pki_dir/ca.crt
$node_settings
EOF
  # shellcheck disable=SC1090
  source "$env_file"
}

# Held by this process until it exits or releases it (see load_or_choose_ports).
take_machine_lock() {
  mkdir -p "$(dirname "$machine_lock")"
  exec {machine_lock_fd}>"$machine_lock"
  flock "$machine_lock_fd"
}
release_machine_lock() {
  [[ -n ${machine_lock_fd:-} ]] && exec {machine_lock_fd}>&-
  machine_lock_fd=
}

# etcd fsyncs every write; on tmpfs a 57,500-node fleet is created in seconds
# instead of minutes. The data is disposable test state.
etcd_data_default() {
  if [[ -d /dev/shm && -w /dev/shm ]]; then
    printf '/dev/shm/landlord-etcd-%s' "$(printf '%s' "$cluster_dir" | sha1sum | cut -c1-12)"
  else
    printf '%s/etcd-data' "$cluster_dir"
  fi
}

# --- certificates -----------------------------------------------------------

# Issued once; issued again when its subject or extensions change (a real
# node's addresses differ from one start to the next).
issue_cert() { # name subject extensions
  local name=$1 subject=$2 ext=$3
  local request="$subject
$ext"
  [[ -f $pki_dir/$name.crt && $(cat "$pki_dir/$name.request" 2>/dev/null) == "$request" ]] && return
  printf '%s' "$request" >"$pki_dir/$name.request"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$pki_dir/$name.key" -subj "$subject" \
    -out "$pki_dir/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$pki_dir/$name.ext"
  openssl x509 -req -in "$pki_dir/$name.csr" -CA "$pki_dir/ca.crt" -CAkey "$pki_dir/ca.key" \
    -CAcreateserial -days 365 -sha256 -extfile "$pki_dir/$name.ext" -out "$pki_dir/$name.crt" 2>/dev/null
  rm -f "$pki_dir/$name.csr" "$pki_dir/$name.ext"
}

make_pki() {
  mkdir -p "$pki_dir"
  chmod 700 "$pki_dir"
  if [[ ! -f $pki_dir/ca.crt ]]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$pki_dir/ca.key" -days 365 -sha256 \
      -subj "/CN=landlord-local-ca" -out "$pki_dir/ca.crt" 2>/dev/null
  fi
  local client='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'
  local serving='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName='
  local names=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
  issue_cert apiserver "/CN=kube-apiserver" "${serving}IP:127.0.0.1,IP:$APISERVER_HOST,IP:$(kubernetes_service_ip),$names"
  issue_cert components-serving "/CN=localhost" "${serving}IP:127.0.0.1,$names"
  issue_cert admin "/O=system:masters/CN=landlord-admin" "$client"
  issue_cert kube-scheduler "/CN=system:kube-scheduler" "$client"
  issue_cert kube-controller-manager "/CN=system:kube-controller-manager" "$client"
  issue_cert kwok "/O=system:masters/CN=kwok" "$client"
  if node_enabled; then
    issue_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "$client"
    issue_cert kubelet-serving "/CN=$NODE_NAME" "${serving}IP:$NODE_IP,DNS:$NODE_NAME"
    issue_cert kube-proxy "/CN=system:kube-proxy" "$client"
    # The API server's identity towards the kubelet (logs, exec, port-forward).
    issue_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  fi
  if [[ ! -f $pki_dir/service-account.key ]]; then
    openssl genrsa -out "$pki_dir/service-account.key" 2048 2>/dev/null
    openssl rsa -in "$pki_dir/service-account.key" -pubout -out "$pki_dir/service-account.pub" 2>/dev/null
  fi
}

write_kubeconfig() { # file user
  local file=$1 user=$2
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: landlord-local
  cluster:
    server: $APISERVER_URL
    certificate-authority: $pki_dir/ca.crt
users:
- name: $user
  user:
    client-certificate: $pki_dir/$user.crt
    client-key: $pki_dir/$user.key
contexts:
- name: landlord-local
  context:
    cluster: landlord-local
    user: $user
current-context: landlord-local
EOF
  chmod 600 "$file"
}

write_kubeconfigs() {
  write_kubeconfig "$admin_kubeconfig" admin
  local c
  for c in kube-scheduler kube-controller-manager kwok; do
    write_kubeconfig "$cluster_dir/$c.kubeconfig" "$c"
  done
  if node_enabled; then
    write_kubeconfig "$cluster_dir/kubelet.kubeconfig" kubelet
    write_kubeconfig "$cluster_dir/kube-proxy.kubeconfig" kube-proxy
  fi
}

service_cidr() { if node_enabled; then echo "$SERVICE_CIDR"; else echo 10.96.0.0/16; fi; }
kubernetes_service_ip() { if node_enabled; then echo "$KUBERNETES_SERVICE_IP"; else echo 10.96.0.1; fi; }

# --- processes ----------------------------------------------------------------

# Creating a 57,500-node fleet is allocation-bound on 2 cores: fewer garbage
# collections buy throughput with memory this machine has to spare.
apiserver_gogc=${LANDLORD_APISERVER_GOGC:-400}
component_gogc=${LANDLORD_COMPONENT_GOGC:-400}

# setsid detaches the component from the caller's terminal and process group
# so it outlives `up`; the pid is recorded so `down` stops exactly it.
launch() { # name command...
  local name=$1
  shift
  say "starting $name"
  setsid "$@" >>"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$pid_dir/$name.pid"
}

# Polls a readiness probe; fails fast if the process died instead of waiting.
wait_ready() { # name timeout-seconds probe...
  local name=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! component_running "$name"; then
      tail -n 30 "$log_dir/$name.log" >&2 || true
      die "$name exited during start; its log is $log_dir/$name.log"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$log_dir/$name.log" >&2 || true
      die "$name not ready after ${timeout}s; its log is $log_dir/$name.log"
    fi
    sleep 0.2
  done
  say "$name ready"
}

https_probe() { # url [client-cert-name]
  local args=(--silent --fail --max-time 2 --cacert "$pki_dir/ca.crt")
  [[ -n ${2:-} ]] && args+=(--cert "$pki_dir/$2.crt" --key "$pki_dir/$2.key")
  curl "${args[@]}" "$1"
}

start_etcd() {
  mkdir -p "$ETCD_DATA_DIR"
  launch etcd env GOGC="$component_gogc" etcd --name landlord --data-dir "$ETCD_DATA_DIR" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "landlord=http://127.0.0.1:$ETCD_PEER_PORT" \
    --quota-backend-bytes $((8 * 1024 * 1024 * 1024)) \
    --snapshot-count 50000 --log-level warn \
    --experimental-watch-progress-notify-interval 5s
  wait_ready etcd 30 curl --silent --fail --max-time 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
}

# TaintNodesByCondition taints every new Node not-ready until the node-lifecycle
# controller sees it Ready; that controller is deliberately absent here, so the
# taint would never leave the hollow nodes (which are created Ready).
# With a real node, the API server publishes its address as the endpoint of the
# `kubernetes` Service (lease reconciler), so pods reach it by in-cluster config.
# WatchList (beta, on by default in 1.32) turns every watch from
# resourceVersion "" or "0" into a streaming list, which needs etcd's
# RequestWatchProgress; Debian's etcd 3.4.23 lacks it, so such a watch ends at
# once with an error. kwok watches pods that way: its pods would go Running only
# on its relists, 30 to 60 s apart. Progress notifications every 5 s (as
# kubeadm sets) keep the watch cache's version current for quiet resources, so
# a watch from a recent version does not wait and time out.
start_kube_apiserver() {
  local node_flags=(--endpoint-reconciler-type none)
  if node_enabled; then
    node_flags=(--endpoint-reconciler-type lease
      --kubelet-client-certificate "$pki_dir/apiserver-kubelet-client.crt"
      --kubelet-client-key "$pki_dir/apiserver-kubelet-client.key"
      --kubelet-preferred-address-types InternalIP)
  fi
  launch kube-apiserver env GOGC="$apiserver_gogc" "$(bin_dir)/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address "$APISERVER_HOST" --advertise-address "$APISERVER_HOST" --secure-port "$APISERVER_PORT" \
    --tls-cert-file "$pki_dir/apiserver.crt" --tls-private-key-file "$pki_dir/apiserver.key" \
    --client-ca-file "$pki_dir/ca.crt" \
    --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki_dir/service-account.pub" \
    --service-account-signing-key-file "$pki_dir/service-account.key" \
    --api-audiences https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range "$(service_cidr)" \
    --allow-privileged "${node_flags[@]}" \
    --disable-admission-plugins TaintNodesByCondition \
    --max-requests-inflight 2000 --max-mutating-requests-inflight 1000 \
    --profiling=false --enable-garbage-collector=true --feature-gates WatchList=false \
    --v 1
  wait_ready kube-apiserver 120 https_probe "$APISERVER_URL/readyz" admin
}

start_kube_controller_manager() {
  local kc=$cluster_dir/kube-controller-manager.kubeconfig
  # Only what landlord's world needs. No node-lifecycle controller: hollow
  # nodes must stay Ready without heartbeats. Each controller acts with its own
  # service account and bootstrap role, as in a production cluster (the
  # component identity alone may not, e.g., empty a namespace).
  local controllers=garbage-collector-controller,namespace-controller,replicaset-controller
  controllers+=,deployment-controller,disruption-controller,serviceaccount-controller
  controllers+=,serviceaccount-token-controller,root-ca-certificate-publisher-controller
  # kube-proxy routes a Service to the pods its EndpointSlices list.
  node_enabled && controllers+=,endpointslice-controller
  launch kube-controller-manager "$(bin_dir)/kube-controller-manager" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$CONTROLLER_MANAGER_PORT" \
    --tls-cert-file "$pki_dir/components-serving.crt" --tls-private-key-file "$pki_dir/components-serving.key" \
    --controllers "$controllers" \
    --service-account-private-key-file "$pki_dir/service-account.key" \
    --root-ca-file "$pki_dir/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false \
    --kube-api-qps 200 --kube-api-burst 400 --v 1
  wait_ready kube-controller-manager 60 https_probe "https://127.0.0.1:$CONTROLLER_MANAGER_PORT/healthz"
}

start_kube_scheduler() {
  local kc=$cluster_dir/kube-scheduler.kubeconfig
  launch kube-scheduler env GOGC="$component_gogc" "$(bin_dir)/kube-scheduler" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" \
    --tls-cert-file "$pki_dir/components-serving.crt" --tls-private-key-file "$pki_dir/components-serving.key" \
    --leader-elect=false --v 1
  wait_ready kube-scheduler 60 https_probe "https://127.0.0.1:$SCHEDULER_PORT/readyz"
}

start_kwok() {
  launch kwok env GOGC="$component_gogc" "$(bin_dir)/kwok" --kubeconfig "$cluster_dir/kwok.kubeconfig" \
    --config "$cluster_here/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$KWOK_PORT"
  wait_ready kwok 60 curl --silent --fail --max-time 2 "http://127.0.0.1:$KWOK_PORT/healthz"
}

start_component() {
  case $1 in
    etcd) start_etcd ;;
    kube-apiserver) start_kube_apiserver ;;
    kube-controller-manager) start_kube_controller_manager ;;
    kube-scheduler) start_kube_scheduler ;;
    kwok) start_kwok ;;
    containerd) start_containerd ;;
    kubelet) start_kubelet ;;
    kube-proxy) start_kube_proxy ;;
    *) die "unknown component '$1' (one of: ${components[*]})" ;;
  esac
}

# TERM, then KILL after a grace period; returns non-zero if it survives.
stop_component() {
  local name=$1 pid
  pid=$(pid_of "$name") || return 0
  if component_alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while [[ -d /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.1; done
    if [[ -d /proc/$pid ]]; then
      say "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
      while [[ -d /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.1; done
    fi
    if [[ -d /proc/$pid ]]; then
      say "error: $name (pid $pid) is still running"
      return 1
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pid_dir/$name.pid"
}
