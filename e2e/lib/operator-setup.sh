# landlord-operator outside the cluster, as the Helm chart would run it: sourced by
# the controller e2e tests that need the chart's webhooks and RBAC (ownership, terms).
# Never run.
#
# The sourcing test defines, before calling anything here:
#   fail MESSAGE      reports and exits (it knows what to print about its objects);
#   kubectl, helm     arrays: the command lines of the two tools;
#   work              its scratch directory (removed by its cleanup);
#   release, ns       the Helm release and its namespace;
#   build_dir         the CMake build directory.
# It gets: full (the chart's fullname), webhook_port, health_port, operator_pid,
# and the functions below. Its cleanup calls stop_operator -TERM.

full=$release-landlord
operator_pid=""

k() { "${kubectl[@]}" "$@"; }
step() { echo "== $(date +%T) $*"; }

# wait_for DESCRIPTION TIMEOUT COMMAND...: polls until COMMAND succeeds.
wait_for() {
  local what=$1 timeout=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for $what"
    sleep 1
  done
}
# jp KUBECTL-GET-ARGS... JSONPATH
jp() { k get "${@:1:$#-1}" -o jsonpath="${!#}"; }
# equals KUBECTL-GET-ARGS... JSONPATH VALUE
equals() { [[ $(jp "${@:1:$#-1}") == "${!#}" ]]; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# install_chart_with_local_webhooks: a CA and a serving certificate for 127.0.0.1
# in $work/certs, and the chart installed with no replica and its webhooks pointed
# at https://127.0.0.1:$webhook_port (where start_operator serves them); then a
# kubeconfig for the operator with a token of the chart's ServiceAccount, so the
# operator has exactly the chart's RBAC.
install_chart_with_local_webhooks() {
  webhook_port=$(free_port)
  health_port=$(free_port)
  mkdir -p "$work/certs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$release-ca" \
    -keyout "$work/certs/ca.key" -out "$work/certs/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$work/certs/tls.key" \
    -out "$work/certs/tls.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$work/certs/ext"
  openssl x509 -req -in "$work/certs/tls.csr" -CA "$work/certs/ca.crt" -CAkey "$work/certs/ca.key" \
    -CAcreateserial -days 1 -extfile "$work/certs/ext" -out "$work/certs/tls.crt" 2>/dev/null
  "${helm[@]}" install "$release" "$repo_root/helm/landlord" -n "$ns" --create-namespace \
    --set replicaCount=0 --set "webhook.url=https://127.0.0.1:$webhook_port" \
    --set "webhook.caBundle=$(base64 -w0 <"$work/certs/ca.crt")" >/dev/null 2> >(grep -v 'found symbolic link' >&2) ||
    fail "helm install failed"
  local token server ca_data
  token=$(k create token "$full" -n "$ns" --duration=2h)
  server=$(k config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  ca_data=$(k config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
  if [[ -z $ca_data ]]; then
    ca_data=$(base64 -w0 <"$(k config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')")
  fi
  cat >"$work/operator.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "$server", certificate-authority-data: "$ca_data"}}]
users: [{name: landlord, user: {token: "$token"}}]
contexts: [{name: landlord, context: {cluster: local, user: landlord}}]
current-context: landlord
KUBECONFIG
}

# start_operator LOG-NAME: runs the operator (log in $work/operator-LOG-NAME.log)
# and returns once it serves the webhooks and its caches are synced.
start_operator() {
  "$build_dir/operator/landlord-operator" --kubeconfig "$work/operator.kubeconfig" \
    --metrics-bind-address 0 --health-probe-bind-address "127.0.0.1:$health_port" \
    --webhook-bind-address "127.0.0.1:$webhook_port" --webhook-cert-path "$work/certs" \
    >"$work/operator-$1.log" 2>&1 &
  operator_pid=$!
  wait_for "the webhook server on port $webhook_port" 60 \
    curl -s --cacert "$work/certs/ca.crt" -o /dev/null "https://127.0.0.1:$webhook_port/"
  wait_for "the operator's caches to sync (/readyz)" 120 curl -fs "http://127.0.0.1:$health_port/readyz"
}
# stop_operator SIGNAL
stop_operator() {
  if [[ -n $operator_pid ]]; then
    kill "$1" "$operator_pid" 2>/dev/null || true
    # A frozen operator (freeze_operator) acts on SIGTERM only once continued.
    kill -CONT "$operator_pid" 2>/dev/null || true
    wait "$operator_pid" 2>/dev/null || true
    operator_pid=""
  fi
}
# A SIGKILL "in the middle" of a path, made certain: the operator is frozen
# (SIGSTOP) just before the change and killed (SIGKILL) right after it, so it dies
# after the change reached the API server and before it could act on any of it.
# Its successor starts from the changed world, the marks the killed one left, and
# no memory of either.
frozen() {
  local task
  for task in /proc/"$operator_pid"/task/*/stat; do
    [[ $(sed 's/^.*) //' "$task" | cut -d' ' -f1) == T ]] || return 1
  done
}
freeze_operator() {
  kill -STOP "$operator_pid" || fail "cannot stop the operator (pid $operator_pid)"
  wait_for "every thread of the operator to be stopped" 10 frozen
}
# kill_and_restart LOG-NAME WHAT-IT-LEFT
kill_and_restart() {
  stop_operator -KILL
  echo "   SIGKILLed, leaving $2"
  start_operator "$1"
}
