#!/usr/bin/env bash
# Container start-up benchmark (issue 14), run as root on a machine with docker and the images built:
#   bench/container-startup.sh [RUNS] [IMAGE...]
# 1. docker-compose up -d of docker/docker-compose.yml (images built, empty volumes) until postgres, publisher and
#    subscriber are all healthy, RUNS times (each run ends with down -v).
# 2. For each IMAGE (default: sbdserver:compose-test, built with ReadyToRun, and sbdserver:bench-il, built with
#    --build-arg READY_TO_RUN=false): one node on SQLite, from `docker start` to the first 200 of /health/ready, on
#    a first start (empty volume: creates the cluster and six RSA-2048 certificates) and on RUNS restarts of the
#    same container (keys unsealed from the volume: the start an upgrade or a reboot does).
# 3. The image sizes.
# Prints one line per measurement and a summary (median, min, max) with the load average before and after. Binds
# 127.0.0.41-42 (compose) and 127.0.0.43 (single node); the machine's other services are left alone.
set -euo pipefail
runs=${1:-5}
shift || true
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(sbdserver:compose-test sbdserver:bench-il)
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
project=sbd-bench
container=sbd-bench-node
env_file="$work/bench.env"
cat >"$env_file" <<ENV
SBD_CLUSTER_PASSWORD=bench-cluster-password
SBD_ADMIN_PASSWORD=bench-admin-password
POSTGRES_PASSWORD=bench-postgres-password
SBD_PUB_ADDRESS=127.0.0.41
SBD_SUB_ADDRESS=127.0.0.42
SBD_IMAGE=${images[0]}
ENV
compose() { docker-compose --env-file "$env_file" -f "$here/docker/docker-compose.yml" -p "$project" "$@"; }
cleanup() {
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker volume rm "$container-data" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
summary() { # label, values...
  local label=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v l="$label" '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%-44s median %6.2f s  min %6.2f  max %6.2f  (n=%d)\n", l, m, v[1], v[NR], NR }' >>"$work/summary"
}
healthy() { [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null)" = healthy ]; }
all_healthy() { for id in "$@"; do healthy "$id" || return 1; done; }
# Polls "$@" until it succeeds; gives up after 300 s.
wait_for() { local deadline=$((SECONDS + 300)); until "$@"; do [ $SECONDS -lt $deadline ] || { echo "timed out: $*" >&2; exit 1; }; sleep 0.05; done; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/load"

compose down -v --remove-orphans >/dev/null 2>&1 || true
up=()
for i in $(seq "$runs"); do
  t0=$(now)
  compose up -d >/dev/null 2>&1
  # shellcheck disable=SC2046 # one container id per word
  wait_for all_healthy $(compose ps -q)
  t=$(elapsed "$t0" "$(now)")
  echo "compose up -d to all healthy, run $i: $t s"
  up+=("$t")
  compose down -v >/dev/null 2>&1
done
summary "compose up -d to 3 healthy (${images[0]})" "${up[@]}"

ready() { curl -fsS -o /dev/null --max-time 1 http://127.0.0.43:8080/health/ready 2>/dev/null; }
for image in "${images[@]}"; do
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker volume rm "$container-data" >/dev/null 2>&1 || true
  docker create --name "$container" -p 127.0.0.43:8080:8080 -v "$container-data:/var/lib/sbd" \
    -e Sbd__Database__Provider=Sqlite -e Sbd__Cluster__SecurityPassword=bench-cluster-password \
    -e Sbd__Admin__Password=bench-admin-password -e Sbd__Node__Address=127.0.0.43 "$image" >/dev/null
  starts=()
  for i in $(seq 0 "$runs"); do
    t0=$(now)
    docker start "$container" >/dev/null
    wait_for ready
    t=$(elapsed "$t0" "$(now)")
    if [ "$i" = 0 ]; then
      echo "$image first start to ready: $t s"
      summary "$image first start to ready" "$t"
    else
      echo "$image restart $i to ready: $t s"
      starts+=("$t")
    fi
    docker stop -t 10 "$container" >/dev/null
  done
  summary "$image start to ready (existing data)" "${starts[@]}"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/load"
echo
cat "$work/summary" "$work/load"
for image in "${images[@]}"; do
  docker image inspect -f "$image {{.Size}}" "$image" | awk '{ printf "image %s: %.0f MB\n", $1, $2 / 1e6 }'
done
