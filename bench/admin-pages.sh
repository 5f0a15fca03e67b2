#!/usr/bin/env bash
# Admin UI page benchmark (issue 13, docs/benchmarks.md "Admin UI pages"): one node (Release build, SQLite as the
# default install, or PostgreSQL with DB=postgres) with N devices, REPORTS of them reporting an old ITL (MisMatch);
# then bench/admin_pages.py signs in and measures every admin page (the navigation's links plus detail pages and
# searches) with REQUESTS GETs per page from CONCURRENCY connections, and the REST inventory as the in-memory peer.
#
#   bench/admin-pages.sh                 N=10000 REPORTS=1000 REQUESTS=200 CONCURRENCY=4
#   DB=postgres bench/admin-pages.sh     (needs root: PostgreSQL runs as user postgres)
#   PEER_DLL=/old/tree/src/SbdServer.Host/bin/Release/net10.0/SbdServer.Host.dll ROUNDS=2 bench/admin-pages.sh
#       (SQLite only) also measures another build of SbdServer.Host on a copy of the same data, beside this one and
#       alternating with it round by round, so the ratio between the two comes from one run under one load
set -euo pipefail

N=${N:-10000}
REPORTS=${REPORTS:-1000}
REQUESTS=${REQUESTS:-200}
CONCURRENCY=${CONCURRENCY:-4}
DB=${DB:-sqlite}
PEER_DLL=${PEER_DLL:-}
OUT=${OUT:-/tmp/sbd-admin-pages}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-$((30000 + RANDOM % 20000))}
PW="pages admin password"
SECRET="pages cluster security password"
PIDS=()
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -d "$OUT/pg/data" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$OUT/pg/data" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -n "$PEER_DLL" ] && [ "$DB" != sqlite ]; then echo "PEER_DLL needs DB=sqlite (each build gets its own copy of the data)"; exit 2; fi
rm -rf "$OUT" && mkdir -p "$OUT/node"
DBENV=()
if [ "$DB" = postgres ]; then
  mkdir -p "$OUT/pg" && chown postgres:postgres "$OUT/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$OUT/pg/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/log" -w \
    -o "-p $BASE -k $OUT/pg -c listen_addresses=127.0.0.1" start >/dev/null
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$BASE" -U postgres sbd
  DBENV=(Sbd__Database__Provider=Postgres "ConnectionStrings__Sbd=Host=127.0.0.1;Port=$BASE;Username=postgres;Database=sbd")
fi

echo "== build (Release)"
dotnet build -c Release -v q -nologo "$REPO/src/SbdServer.Host" >/dev/null
HOST_DLL="$REPO/src/SbdServer.Host/bin/Release/net10.0/SbdServer.Host.dll"

# start_node DLL DATA_DIR PORT_BASE LOG: one node with this benchmark's settings, ports PORT_BASE+1..+6.
start_node() {
  env "${DBENV[@]}" Sbd__DataDir="$2" Sbd__Cluster__SecurityPassword="$SECRET" Sbd__Admin__Password="$PW" \
    Sbd__Node__Name=cucm-pub Sbd__Node__Fqdn=cucm-pub.lab.example Sbd__Node__Address=127.0.0.1 \
    Serilog__MinimumLevel__Default=Warning \
    Tftp__Address=127.0.0.1 Tftp__Port=$(($3 + 1)) Tftp__HttpPort=$(($3 + 2)) Tvs__Address=127.0.0.1 Tvs__Port=$(($3 + 3)) \
    PhoneServices__Address=127.0.0.1 PhoneServices__Port=$(($3 + 4)) Capf__Address=127.0.0.1 Capf__Port=$(($3 + 6)) \
    dotnet "$1" --urls "http://127.0.0.1:$(($3 + 5))" >"$4" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$(($3 + 5))/health" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "node $1 did not become healthy"; tail -20 "$4"; exit 1
}

API="http://127.0.0.1:$((BASE + 5))"
HTTPS="https://127.0.0.1:$((BASE + 4))"
start_node "$HOST_DLL" "$OUT/node" "$BASE" "$OUT/node.log"

echo "== $N devices, $REPORTS of them reporting an old ITL"
python3 "$REPO/bench/sbd_devices.py" create --api "$API" --password "$PW" --phones "$N"
python3 - "$API" "$PW" "$REPORTS" <<'PY'
import base64, http.client, json, sys, urllib.parse
api, pw, n = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection(api.hostname, api.port, timeout=30)
auth = "Basic " + base64.b64encode(("admin:" + pw).encode()).decode()
for i in range(n):
    # sbd_devices.py numbers MACs from 0011AA000000; every tenth device reports an ITL the cluster never served.
    conn.request("POST", "/api/devices/SEP%012X/report" % (0x0011AA000000 + i * 10),
                 json.dumps({"itlSha1": "%040x" % (i + 1), "status": "ITL installed"}),
                 {"Authorization": auth, "Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    if r.status != 200:
        sys.exit("report answered %d" % r.status)
print("reported %d" % n)
PY

if [ -n "$PEER_DLL" ]; then
  # The peer build gets a copy of the same data (SQLite), taken with the node stopped, and runs beside this build.
  kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
  cp -a "$OUT/node" "$OUT/peer"
  start_node "$HOST_DLL" "$OUT/node" "$BASE" "$OUT/node.log"
  start_node "$PEER_DLL" "$OUT/peer" "$((BASE + 10))" "$OUT/peer.log"
fi

ROUNDS=${ROUNDS:-1}
for round in $(seq 1 "$ROUNDS"); do
  echo "== pages, this build, round $round (uptime: $(uptime))"
  python3 "$REPO/bench/admin_pages.py" --url "$HTTPS" --password "$PW" --requests "$REQUESTS" --concurrency "$CONCURRENCY" --search 0011AA001A2B
  if [ -n "$PEER_DLL" ]; then
    echo "== pages, peer build $PEER_DLL, round $round (uptime: $(uptime))"
    python3 "$REPO/bench/admin_pages.py" --url "https://127.0.0.1:$((BASE + 14))" --password "$PW" --requests "$REQUESTS" \
      --concurrency "$CONCURRENCY" --search 0011AA001A2B
  fi
done
echo "== done (uptime: $(uptime))"
