#!/usr/bin/env bash
# Admin UI page benchmark (issue 13, docs/benchmarks.md "Admin UI pages"): one node (Release build, SQLite as the
# default install, or PostgreSQL with DB=postgres) with N devices, REPORTS of them reporting an old ITL (MisMatch);
# then bench/admin_pages.py signs in and measures every admin page (the navigation's links plus detail pages and
# searches) with REQUESTS GETs per page from CONCURRENCY connections, and the REST inventory as the in-memory peer.
#
#   bench/admin-pages.sh                 N=10000 REPORTS=1000 REQUESTS=200 CONCURRENCY=4
#   DB=postgres bench/admin-pages.sh     (needs root: PostgreSQL runs as user postgres)
set -euo pipefail

N=${N:-10000}
REPORTS=${REPORTS:-1000}
REQUESTS=${REQUESTS:-200}
CONCURRENCY=${CONCURRENCY:-4}
DB=${DB:-sqlite}
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

API="http://127.0.0.1:$((BASE + 5))"
HTTPS="https://127.0.0.1:$((BASE + 4))"
env "${DBENV[@]}" Sbd__DataDir="$OUT/node" Sbd__Cluster__SecurityPassword="$SECRET" Sbd__Admin__Password="$PW" \
  Sbd__Node__Name=cucm-pub Sbd__Node__Fqdn=cucm-pub.lab.example Sbd__Node__Address=127.0.0.1 \
  Serilog__MinimumLevel__Default=Warning \
  Tftp__Address=127.0.0.1 Tftp__Port=$((BASE + 1)) Tftp__HttpPort=$((BASE + 2)) Tvs__Address=127.0.0.1 Tvs__Port=$((BASE + 3)) \
  PhoneServices__Address=127.0.0.1 PhoneServices__Port=$((BASE + 4)) Capf__Address=127.0.0.1 Capf__Port=$((BASE + 6)) \
  dotnet "$HOST_DLL" --urls "$API" >"$OUT/node.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  if curl -sf "$API/health" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -sf "$API/health" >/dev/null || { echo "node did not become healthy"; tail -20 "$OUT/node.log"; exit 1; }

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

echo "== pages (uptime: $(uptime))"
python3 "$REPO/bench/admin_pages.py" --url "$HTTPS" --password "$PW" --requests "$REQUESTS" --concurrency "$CONCURRENCY" --search 0011AA001A2B
echo "== done (uptime: $(uptime))"
