#!/usr/bin/env bash
# Phone farm benchmark (issue 12, docs/benchmarks.md "Phone farm"): `sbd phone farm` with N distinct devices at
# concurrency C against a two-node SbdServer cluster sharing one PostgreSQL, everything on loopback.
#
#   bench/phone-farm.sh            N=10000 C=500, runs: cold HTTP, warm HTTP, warm TFTP-only
#   N=2000 C=200 bench/phone-farm.sh
#   RUNS="cold-http-shared warm-http-shared warm-tftp" bench/phone-farm.sh
#
# RUNS: labels run in order; "*-tftp*" fetches over TFTP only; every phone sends from its own address
# (SOURCE_START+i, default 127.16.0.1, `sbd phone farm --source-start`) unless the label contains "shared", when all
# send from 127.0.0.1 (one client to the server's per-client limits; HTTP then shares one connection pool).
# TRACE=path/to/dotnet-trace samples node A for TRACE_SECONDS (15) of each run into $OUT/<label>.speedscope.json.
# After each run $OUT/<label>.metrics holds node A's TFTP admission counters and the kernel's UDP counters.
#
# Every run boots first-time phones (fresh state directories), so each phone fetches CTLSEP (404), CTLFile (404),
# ITLSEP and SEP<MAC>.cnf.xml.sgn and verifies both signatures. "cold" is the first farm after the nodes started:
# the serving node builds and signs every device's config on demand; "warm" runs find them cached. The farm targets
# node A (cucm-pub); node B (cucm-sub1) runs alongside, sharing the database and receiving every change.
# Reports per run: wall time, phones/s, p50/p90/p99/max boot, farm peak RSS (/usr/bin/time), CPU seconds of each
# node during the run and per booted phone. Needs root (PostgreSQL runs as user postgres), PostgreSQL 13+ binaries.
set -euo pipefail

N=${N:-10000}
C=${C:-500}
OUT=${OUT:-/tmp/sbd-phone-farm}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-$((30000 + RANDOM % 20000))}
PGPORT=$BASE
PW="farm admin password"
SECRET="farm cluster security password"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
SOURCE_START=${SOURCE_START:-127.16.0.1}
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -d "$OUT/pg/data" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$OUT/pg/data" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

rm -rf "$OUT" && mkdir -p "$OUT/pg"
chown postgres:postgres "$OUT/pg"
echo "== PostgreSQL on 127.0.0.1:$PGPORT ($PG_BIN)"
runuser -u postgres -- "$PG_BIN/initdb" -D "$OUT/pg/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/log" -w \
  -o "-p $PGPORT -k $OUT/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres sbd

echo "== build (Release)"
dotnet build -c Release -v q -nologo "$REPO/src/SbdServer.Host" >/dev/null
dotnet build -c Release -v q -nologo "$REPO/src/SbdServer.Cli" >/dev/null
HOST_DLL="$REPO/src/SbdServer.Host/bin/Release/net10.0/SbdServer.Host.dll"
SBD="$REPO/src/SbdServer.Cli/bin/Release/net10.0/sbd.dll"

# start_node NAME OFFSET: ports BASE+OFFSET+1.. (TFTP, HTTP, TVS, phone services, API, CAPF)
start_node() {
  local name=$1 p=$((BASE + $2))
  mkdir -p "$OUT/$name"
  env Sbd__DataDir="$OUT/$name" Sbd__Cluster__SecurityPassword="$SECRET" Sbd__Admin__Password="$PW" \
    Sbd__Database__Provider=Postgres ConnectionStrings__Sbd="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=sbd" \
    Sbd__Node__Name="$name" Sbd__Node__Fqdn="$name.lab.example" Sbd__Node__Address=127.0.0.1 \
    Sbd__Node__HostAddress=127.0.0.1 Serilog__MinimumLevel__Default=Warning \
    Tftp__Address=127.0.0.1 Tftp__Port=$((p + 1)) Tftp__HttpPort=$((p + 2)) Tvs__Address=127.0.0.1 Tvs__Port=$((p + 3)) \
    PhoneServices__Address=127.0.0.1 PhoneServices__Port=$((p + 4)) Capf__Address=127.0.0.1 Capf__Port=$((p + 6)) \
    dotnet "$HOST_DLL" --urls "http://127.0.0.1:$((p + 5))" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$OUT/$name.pid"
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$((p + 5))/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "node $name did not become healthy"; tail -20 "$OUT/$name.log"; exit 1
}

echo "== nodes"
start_node cucm-pub 10
start_node cucm-sub1 20
A_TFTP=$((BASE + 11)); A_HTTP=$((BASE + 12)); A_API="http://127.0.0.1:$((BASE + 15))"
A_PID=$(cat "$OUT/cucm-pub.pid"); B_PID=$(cat "$OUT/cucm-sub1.pid")

echo "== $N devices ($(date -u +%T))"
python3 - "$A_API" "$PW" "$N" <<'EOF'
import base64, http.client, json, sys, threading, urllib.parse
api, password, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
url = urllib.parse.urlsplit(api)
auth = "Basic " + base64.b64encode(("admin:" + password).encode()).decode()
lock = threading.Lock(); next_index = [0]; failures = []
def worker():
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    while True:
        with lock:
            i = next_index[0]; next_index[0] += 1
        if i >= n or failures:
            return
        body = json.dumps({"name": "SEP%012X" % (0x0A0000000000 + i), "model": "8861"})
        conn.request("POST", "/api/devices", body, {"Authorization": auth, "Content-Type": "application/json"})
        r = conn.getresponse(); text = r.read()
        if r.status != 201 and b"already exists" not in text:
            failures.append("%d %s" % (r.status, text[:200]))
threads = [threading.Thread(target=worker) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
if failures: sys.exit("device creation failed: " + failures[0])
print("created", n)
EOF

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

# run LABEL [extra sbd args]
run() {
  local label=$1; shift
  local a0 b0 a1 b1
  a0=$(cpu "$A_PID"); b0=$(cpu "$B_PID")
  local tracer=""
  if [ -n "${TRACE:-}" ]; then
    # TRACE=path/to/dotnet-trace: samples node A's threads for the first TRACE_SECONDS of the farm (speedscope JSON).
    "$TRACE" collect -p "$A_PID" --profile dotnet-sampled-thread-time --format Speedscope \
      --duration "00:00:00:${TRACE_SECONDS:-15}" -o "$OUT/$label.nettrace" >"$OUT/$label.trace.log" 2>&1 &
    tracer=$!
    sleep 2
  fi
  set +e
  /usr/bin/time -v -o "$OUT/$label.time" dotnet "$SBD" phone farm --tftp "127.0.0.1:$A_TFTP" --http-port "$A_HTTP" \
    --mac-start 0A0000000000 --count "$N" --concurrency "$C" --model 8861 --state "$OUT/state-$label" \
    --json "$OUT/$label.json" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"
  local code=$?
  if [ -n "$tracer" ]; then wait "$tracer" || true; fi
  set -e
  a1=$(cpu "$A_PID"); b1=$(cpu "$B_PID")
  # Why transfers were refused or lost: the server's admission counters and the kernel's UDP drop counters.
  curl -s -u "admin:$PW" "$A_API/metrics" | grep -E '^sbd_tftp_(rejected|timeouts|retransmits|duplicate_requests)' >"$OUT/$label.metrics" || true
  grep '^Udp:' /proc/net/snmp >>"$OUT/$label.metrics"
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$OUT/$label.time")
  python3 - "$label" "$code" "$OUT/$label.json" "$rss" "$a0" "$a1" "$b0" "$b1" "$TICK" <<'EOF' | tee -a "$OUT/results.txt"
import json, sys
label, code, path, rss, a0, a1, b0, b1, tick = sys.argv[1:]
d = json.load(open(path))
a = (float(a1) - float(a0)) / float(tick); b = (float(b1) - float(b0)) / float(tick)
b_ms = d["boot_ms"]
print(f"{label:10} exit {code}  phones {d['phones']} ok {d['ok']} failed {d['failed']}  {d['elapsed_s']:.1f} s  "
      f"{d['phones_per_s']:.0f} phones/s  boot p50 {b_ms['p50']:.0f} p90 {b_ms['p90']:.0f} p99 {b_ms['p99']:.0f} "
      f"max {b_ms['max']:.0f} ms  farm RSS {int(rss) / 1024:.0f} MiB  CPU node A {a:.1f} s, node B {b:.1f} s, "
      f"{(a + b) * 1000 / max(d['ok'], 1):.2f} ms per booted phone  outcomes {d['outcomes']}")
EOF
  rm -rf "$OUT/state-$label"
}

echo "== farms ($(date -u +%T)): N=$N C=$C (nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
for r in ${RUNS:-cold-http warm-http warm-tftp}; do
  args=()
  case $r in *-tftp*) args+=(--tftp-only) ;; esac
  # Every phone sends from its own 127.16.x.y (a real farm has an address per phone); "shared" runs send all from
  # 127.0.0.1, which the server's per-client limits treat as one client.
  case $r in *shared*) ;; *) args+=(--source-start "$SOURCE_START") ;; esac
  run "$r" "${args[@]}"
done
echo "== results in $OUT/results.txt"
