#!/usr/bin/env bash
# TFTP boot storm (issue 5): the same tftp_load.py load runs against SbdServer (the real host, files from its
# generated catalogue), the TFTP server alone on a static root, dnsmasq and tftpd-hpa, back to back in one script run
# so the ratios are fair on a shared machine. dnsmasq, tftpd-hpa and the static root serve the very bytes SbdServer
# generated (exported over HTTP 6970), and every transfer is verified by SHA-256 against them.
#
#   bench/tftp-bootstorm.sh [PHONES] [CONCURRENCY] [REPEATS] [BIG_PHONES] [WARMUPS] [HPA_REPEATS]
#
# Defaults: 1000 phones, concurrency 200, 15 interleaved repeats, a 10 000-device cold storm for SbdServer's peak RSS,
# 6 unmeasured warm-up runs per server, and tftpd-hpa (40 s a run, 10x behind) in the first 2 repeats only.
# Needs: python3, dotnet, dnsmasq (binds UDP 69: run as root), in.tftpd (tftpd-hpa), ../shared/bench/tftp_load.py.
# Results: a table on stdout and the JSON summaries under $OUT (default /tmp/sbd-tftp-bench).
set -euo pipefail

PHONES=${1:-1000}
CONC=${2:-200}
REPEATS=${3:-15}
BIG_PHONES=${4:-10000}
WARMUPS=${5:-6}
HPA_REPEATS=${6:-2}
HERE=$(cd "$(dirname "$0")/.." && pwd)
LOAD=${TFTP_LOAD:-$HERE/../shared/bench/tftp_load.py}
DEVICES="$HERE/bench/sbd_devices.py"
OUT=${OUT:-/tmp/sbd-tftp-bench}
TREE=$OUT/tree
SBD_PORT=16969      # SbdServer TFTP (its HTTP 6970 service on SBD_PORT+1, REST API on SBD_PORT+2)
STATIC_PORT=16972   # TFTP server alone on the exported tree
HPA_PORT=16973
PASSWORD=bench-admin-password
PIDS=()

cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rm -rf "$OUT"; mkdir -p "$OUT"
chmod 755 "$OUT"   # dnsmasq and tftpd-hpa drop privileges
dotnet build -c Release "$HERE/src/SbdServer.Host" -v q -nologo >/dev/null
dotnet build -c Release "$HERE/bench/SbdServer.Tftp.BenchHost" -v q -nologo >/dev/null
HOSTDLL=$HERE/src/SbdServer.Host/bin/Release/net10.0/SbdServer.Host.dll
BENCHDLL=$HERE/bench/SbdServer.Tftp.BenchHost/bin/Release/net10.0/SbdServer.Tftp.BenchHost.dll

wait_udp() { # port
  for _ in $(seq 100); do ss -Hlun "sport = :$1" | grep -q . && return 0; sleep 0.1; done
  echo "nothing listens on UDP $1" >&2; exit 1
}

# The real host: SQLite in a fresh data dir, one node (sbd-pub), TVS and phone services off (not part of this load).
# Every simulated phone is 127.0.0.1, so the per-client limits are off; everything else is the shipped default,
# logging included.
start_sbd_host() { # datadir -> sets SBD_PID
  mkdir -p "$1"
  Sbd__DataDir="$1" Sbd__Cluster__SecurityPassword=bench-cluster-secret Sbd__Admin__Password=$PASSWORD \
  Tftp__Address=127.0.0.1 Tftp__Port=$SBD_PORT Tftp__HttpPort=$((SBD_PORT + 1)) \
  Tftp__MaxSessionsPerClient=0 Tftp__MaxRequestsPerSecondPerClient=0 Tvs__Enabled=false PhoneServices__Enabled=false \
    dotnet "$HOSTDLL" --urls "http://127.0.0.1:$((SBD_PORT + 2))" >"$1.log" 2>&1 &
  SBD_PID=$!; PIDS+=("$SBD_PID")
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$((SBD_PORT + 2))/health" >/dev/null 2>&1 && { wait_udp $SBD_PORT; return 0; }
    kill -0 "$SBD_PID" 2>/dev/null || { echo "SbdServer exited:" >&2; tail -20 "$1.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "SbdServer did not become healthy" >&2; exit 1
}

start_server() { # name -> sets PID_<name> PORT_<name>
  local pid port
  case $1 in
    sbd-generated)
      pid=$SBD_PID; port=$SBD_PORT ;;
    sbd-static)
      dotnet "$BENCHDLL" --dir "$TREE" --Tftp:Port=$STATIC_PORT >"$OUT/$1.log" 2>&1 &
      pid=$!; port=$STATIC_PORT; PIDS+=("$pid") ;;
    dnsmasq)
      dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$TREE" --tftp-max=1000 \
        --listen-address=127.0.0.1 --bind-interfaces >"$OUT/$1.log" 2>&1 &
      pid=$!; port=69; PIDS+=("$pid") ;;
    tftpd-hpa)
      in.tftpd --foreground --address 127.0.0.1:$HPA_PORT --secure "$TREE" >"$OUT/$1.log" 2>&1 &
      pid=$!; port=$HPA_PORT; PIDS+=("$pid") ;;
  esac
  wait_udp "$port"
  SERVER_PID[$1]=$pid; SERVER_PORT[$1]=$port
}

peak_rss_kb() { # pid (tftpd-hpa forks a child per request: the parent is reported)
  awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

cpu_s() { # pid: user+system CPU seconds of the process and its reaped children (tftpd-hpa's forks)
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

run_load() { # label port phones json [extra...]
  local label=$1 port=$2 phones=$3 json=$4; shift 4
  python3 "$LOAD" run --port "$port" --phones "$phones" --concurrency "$CONC" --procs 2 \
    --time-limit 300 --quiet --json "$json" "$@" || echo "  ($label: tftp_load.py reported failures)" >&2
}

echo "machine: $(nproc) CPU(s), $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), dotnet $(dotnet --version)"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

start_sbd_host "$OUT/sbd-data"
python3 "$DEVICES" create --api "http://127.0.0.1:$((SBD_PORT + 2))" --password $PASSWORD --phones "$PHONES"
python3 "$DEVICES" export --http "127.0.0.1:$((SBD_PORT + 1))" --phones "$PHONES" --dir "$TREE"
chmod 755 "$TREE"

# Every server runs for the whole measurement (an idle server costs nothing), so the runs can be interleaved: each
# repeat runs every server once per option, in an order that rotates from repeat to repeat, and the report takes the
# median over the repeats. On a shared VM the machine's speed drifts by tens of per cent within minutes; back-to-back
# blocks per server would measure the drift, interleaving cancels it.
declare -A SERVER_PID SERVER_PORT
SERVERS=(sbd-generated sbd-static dnsmasq tftpd-hpa)
for server in "${SERVERS[@]}"; do start_server "$server"; done

# Warm-up, unmeasured, the same for every server: .NET tiers its JIT code up during the first thousands of transfers
# (and the export above left the file builders hot, to be recompiled in the background); the C servers gain nothing.
# tftpd-hpa (one fork per request, ~40 s a run) is not warmed up. The first warm-up run is reported separately.
for server in sbd-generated sbd-static dnsmasq; do
  for w in $(seq "$WARMUPS"); do
    run_load "$server-warmup" "${SERVER_PORT[$server]}" "$PHONES" "$OUT/warmup-$w-$server.json" --root "$TREE" --blksize 1428 --tsize
  done
done

for r in $(seq "$REPEATS"); do
  order=("${SERVERS[@]:$(( (r - 1) % ${#SERVERS[@]} ))}" "${SERVERS[@]:0:$(( (r - 1) % ${#SERVERS[@]} ))}")
  for opt in plain 1428; do
    extra=(); [ "$opt" = 1428 ] && extra=(--blksize 1428 --tsize)
    for server in "${order[@]}"; do
      [ "$server" = tftpd-hpa ] && [ "$r" -gt "$HPA_REPEATS" ] && continue
      pid=${SERVER_PID[$server]}
      c0=$(cpu_s "$pid")
      run_load "$server" "${SERVER_PORT[$server]}" "$PHONES" "$OUT/r$r-$server-$opt.json" --root "$TREE" "${extra[@]}"
      c1=$(cpu_s "$pid")
      echo "$c0 $c1" | awk '{ printf "%.2f", $2 - $1 }' >"$OUT/r$r-$server-$opt.cpu"
    done
  done
done
for server in "${SERVERS[@]}"; do
  peak_rss_kb "${SERVER_PID[$server]}" >"$OUT/$server.rss"
  [ "$server" = sbd-generated ] || { kill "${SERVER_PID[$server]}"; wait "${SERVER_PID[$server]}" 2>/dev/null || true; }
done

# Cold storm: a TVS regeneration changes the ITL, so every file is rebuilt (and configs re-signed) while phones ask.
curl -sf -X POST -u "admin:$PASSWORD" \
  "http://127.0.0.1:$((SBD_PORT + 2))/api/nodes/sbd-pub/certificates/TVS/regenerate?confirm=true" >/dev/null
run_load sbd-cold $SBD_PORT "$PHONES" "$OUT/cold-sbd-generated.json" --missing-ok 'CTLSEP*' --blksize 1428 --tsize
kill "$SBD_PID"; wait "$SBD_PID" 2>/dev/null || true

if [ "$BIG_PHONES" -gt 0 ]; then
  start_sbd_host "$OUT/sbd-big"
  python3 "$DEVICES" create --api "http://127.0.0.1:$((SBD_PORT + 2))" --password $PASSWORD --phones "$BIG_PHONES"
  rss0=$(peak_rss_kb "$SBD_PID")
  run_load sbd-big $SBD_PORT "$BIG_PHONES" "$OUT/big-sbd-generated.json" --missing-ok 'CTLSEP*' --blksize 1428 --tsize
  echo "$rss0 $(peak_rss_kb "$SBD_PID") $(awk '/VmRSS/ {print $2}' "/proc/$SBD_PID/status")" >"$OUT/big-sbd-generated.rss"
  kill "$SBD_PID"; wait "$SBD_PID" 2>/dev/null || true
fi

python3 - "$OUT" "$REPEATS" "$WARMUPS" <<'PY'
import json, os, statistics, sys
out, repeats, warmups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
servers = ("sbd-generated", "sbd-static", "dnsmasq", "tftpd-hpa")
def load(p):
    return json.loads(open(p).read().replace(": NaN", ": null"))
def cpu(p):
    return float(open(p).read().strip() or 0) if os.path.exists(p) else float("nan")
def p99(s):
    return s["latency_ok"]["p99_ms"] or 0
rss = {sv: int(open(f"{out}/{sv}.rss").read().strip() or 0) / 1024 for sv in servers}
print("\n%-4s %-13s %-14s %9s %9s %9s %7s %7s %9s" % ("run", "server", "options", "files/s", "p99 ok", "p99 nf",
      "failed", "c-rtx", "srv CPU"))
runs = {}
for opt in ("plain", "1428"):
    for r in range(1, repeats + 1):
        for server in servers:
            if not os.path.exists(f"{out}/r{r}-{server}-{opt}.json"):
                continue  # tftpd-hpa runs in the first repeats only
            s = runs[(opt, r, server)] = load(f"{out}/r{r}-{server}-{opt}.json")
            print("%-4d %-13s %-14s %9.1f %7.1fms %7.1fms %7d %7d %8.2fs" % (
                r, server, "none" if opt == "plain" else "blksize+tsize", s["files_per_s"], p99(s),
                s["latency_notfound"]["p99_ms"] or 0, s["files_failed"], s["client_retransmits"],
                cpu(f"{out}/r{r}-{server}-{opt}.cpu")))
print("\npeak RSS: " + ", ".join("%s %.1f MB" % (sv, rss[sv]) for sv in servers))
print("\nmedians over %d interleaved repeats (ratios are medians of the per-repeat ratios):" % repeats)
for opt in ("plain", "1428"):
    def reps(*svs):
        return [r for r in range(1, repeats + 1) if all((opt, r, sv) in runs for sv in svs)]
    med = {sv: (statistics.median(runs[(opt, r, sv)]["files_per_s"] for r in reps(sv)),
                statistics.median(p99(runs[(opt, r, sv)]) for r in reps(sv)),
                statistics.median(cpu(f"{out}/r{r}-{sv}-{opt}.cpu") for r in reps(sv)))
           for sv in servers}
    for sv in servers:
        print("  %-14s %-13s files/s %7.1f  p99 ok %6.1f ms  srv CPU %5.2f s" % (
            "none" if opt == "plain" else "blksize+tsize", sv, *med[sv]))
    for sbd in ("sbd-generated", "sbd-static"):
        fd = statistics.median(runs[(opt, r, sbd)]["files_per_s"] / runs[(opt, r, "dnsmasq")]["files_per_s"]
                               for r in reps(sbd, "dnsmasq"))
        fh = statistics.median(runs[(opt, r, sbd)]["files_per_s"] / runs[(opt, r, "tftpd-hpa")]["files_per_s"]
                               for r in reps(sbd, "tftpd-hpa"))
        pd = statistics.median(p99(runs[(opt, r, sbd)]) / p99(runs[(opt, r, "dnsmasq")]) for r in reps(sbd, "dnsmasq"))
        wins = sum(runs[(opt, r, sbd)]["files_per_s"] >= runs[(opt, r, "dnsmasq")]["files_per_s"]
                   for r in reps(sbd, "dnsmasq"))
        print("     %s/%s: files/s x%.2f vs dnsmasq (ahead in %d of %d repeats), x%.1f vs tftpd-hpa (%d repeats); "
              "p99 x%.2f of dnsmasq's" % (sbd, opt, fd, wins, len(reps(sbd, "dnsmasq")), fh,
                                         len(reps(sbd, "tftpd-hpa")), pd))
for server in servers:
    p = f"{out}/warmup-1-{server}.json"
    if os.path.exists(p):
        s = load(p)
        print("first run after start, %-13s (blksize+tsize): %7.1f files/s, p99 %.1f ms, failed %d" % (
            server, s["files_per_s"], p99(s), s["files_failed"]))
p = f"{out}/cold-sbd-generated.json"
if os.path.exists(p):
    s = load(p)
    print("cold sbd-generated after a TVS regeneration (blksize+tsize): %.1f files/s, p99 %.1f ms, failed %d" % (
        s["files_per_s"], p99(s), s["files_failed"]))
p = f"{out}/big-sbd-generated.json"
if os.path.exists(p):
    s = load(p)
    before, peak, now = (int(x) / 1024 for x in open(f"{out}/big-sbd-generated.rss").read().split())
    print("big sbd-generated, %d devices, cold storm (blksize+tsize): %.1f files/s, p99 %.1f ms, failed %d, "
          "peak RSS %.1f MB (%.1f MB before the storm, %.1f MB after)" % (
              s["config"]["phones"], s["files_per_s"], p99(s), s["files_failed"], peak, before, now))
PY
