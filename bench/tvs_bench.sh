#!/usr/bin/env bash
# TVS benchmark (issue 6, docs/benchmarks.md "TVS (issue 6)"): one TLS connection per VERIFY of a known certificate,
# RSA-2048 TVS certificate, ../shared/bench/tvs_load.py --procs 2, against SbdServer.Host and, back to back in the
# same run, against the reference tvsd (usecallmanagernz/daemons) when TVSD_DIR points at an unpacked copy of its
# source (it is not part of this repository: fetch it yourself; it needs python3-cryptography).
#
#   bench/tvs_bench.sh [REQUESTS]          env: TVSD_DIR=/tmp/tvsd  OUT=/tmp/tvs-bench  CONCURRENCY=20
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
load="$repo/../shared/bench/tvs_load.py"
requests="${1:-4000}"
concurrency="${CONCURRENCY:-20}"
out="${OUT:-/tmp/tvs-bench}"
port_ours=24450
port_tvsd=24460
api_port=18082
password="tvs bench admin"
mkdir -p "$out"
cd "$out"

# Same TVS certificate (RSA 2048) and the same known certificate for both servers.
if [[ ! -f tvs.pem ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout tvskey.pem -out tvscert.pem -days 365 \
    -subj "/CN=tvs-bench.example" 2>/dev/null
  cat tvskey.pem tvscert.pem > tvs.pem
  openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -out known.pem -days 365 \
    -subj "/CN=known.example" 2>/dev/null
fi

# A first start of the host creates the cluster (six RSA-2048 keys, each sealed at 600 000 PBKDF2 iterations): about
# 5 s on an idle machine, over 10 s under the load of parallel builds, so wait up to 2 minutes, and stop at once with
# the server's log if it exited.
wait_port() { # port pid log
  for _ in $(seq 1 1200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "the server exited before port $1 opened:" >&2; tail -20 "$3" >&2; return 1; fi
    sleep 0.1
  done
  echo "port $1 did not open within 120 s" >&2
  return 1
}

run_load() { # name port
  python3 "$load" --port "$2" --cert known.pem --expect valid --requests 200 --concurrency 10 --procs 2 >/dev/null
  # The tool exits 1 when any request failed (the reference server times out under load); keep going to the table.
  python3 "$load" --port "$2" --cert known.pem --expect valid --requests "$requests" --concurrency "$concurrency" \
    --procs 2 --time-limit 300 --json "$1.json" | tee "$1.txt" || true
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== openssl speed -seconds 3 rsa2048"
openssl speed -seconds 3 rsa2048 2>/dev/null | tail -2 | tee openssl-speed.txt

echo "== SbdServer.Host (Release)"
dotnet build "$repo/src/SbdServer.Host" -c Release -v q -nologo >/dev/null
# The host answers TVS from its certificate store and presents its own TVS certificate (RSA-2048, made when the cluster
# is created); Tvs:CertificatePem and Tvs:TrustFiles apply only to a store-less TVS, so the known certificate goes into
# tomcat-trust through the admin API, as an administrator would add it. Only TVS listens: TFTP (UDP 69, HTTP 6970),
# phone services (8443) and CAPF (3804) are idle in this load, and on a shared machine their fixed ports may be taken
# by another test's server, which refuses the start (exit code 4).
rm -rf "$out/sbd-data"
dotnet "$repo/src/SbdServer.Host/bin/Release/net10.0/SbdServer.Host.dll" \
  --Urls "http://127.0.0.1:$api_port" --Sbd:DataDir "$out/sbd-data" --Sbd:Cluster:SecurityPassword "tvs bench cluster" \
  --Sbd:Admin:Password "$password" --Tftp:Enabled false --PhoneServices:Enabled false --Capf:Enabled false \
  --Tvs:Address 127.0.0.1 --Tvs:Port "$port_ours" > ours.log 2>&1 &
ours=$!
trap 'kill $ours 2>/dev/null || true; [[ -n "${tvsd:-}" ]] && kill $tvsd 2>/dev/null || true' EXIT
wait_port "$port_ours" "$ours" ours.log
wait_port "$api_port" "$ours" ours.log
curl -sf -u "admin:$password" -H 'Content-Type: application/x-pem-file' --data-binary @known.pem \
  "http://127.0.0.1:$api_port/api/trust/tomcat-trust" >/dev/null
curl -sf -u "admin:$password" "http://127.0.0.1:$api_port/api/nodes/sbd-pub/certificates/TVS/pem" > ours-tvs.pem
echo "TVS certificate: $(openssl x509 -in ours-tvs.pem -noout -subject) ($(openssl x509 -in ours-tvs.pem -noout -text | grep -m1 'Public-Key' | xargs))"
run_load ours "$port_ours"
kill "$ours"; wait "$ours" 2>/dev/null || true

if [[ -n "${TVSD_DIR:-}" ]]; then
  echo "== reference tvsd ($TVSD_DIR)"
  rm -f tvsd.db
  python3 "$TVSD_DIR/tvsctl" --add known.pem --app-server tvsd.db >/dev/null
  python3 "$TVSD_DIR/tvsd" --port "$port_tvsd" --tvs tvs.pem tvsd.db > tvsd.log 2>&1 &
  tvsd=$!
  wait_port "$port_tvsd" "$tvsd" tvsd.log
  run_load tvsd "$port_tvsd"
  kill "$tvsd"; wait "$tvsd" 2>/dev/null || true
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = [(n, json.load(open(os.path.join(out, n + ".json")))) for n in ("ours", "tvsd") if os.path.exists(os.path.join(out, n + ".json"))]
print("| server | ok | failed | requests/s | p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|---|")
for n, r in rows:
    print(f"| {n} | {r['ok']} | {r['failed']} | {r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} |")
if len(rows) == 2:
    print(f"ratio requests/s ours/tvsd: {rows[0][1]['requests_per_s'] / rows[1][1]['requests_per_s']:.1f}x")
PY
