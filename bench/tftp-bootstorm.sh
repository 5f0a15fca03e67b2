#!/usr/bin/env bash
# TFTP boot storm (issue 5): the same tftp_load.py runs against SbdServer (static root and in-memory catalogue),
# dnsmasq and tftpd-hpa, back to back in one script run so the ratios are fair on a shared machine.
#
#   bench/tftp-bootstorm.sh [PHONES] [CONCURRENCY] [REPEATS] [BIG_PHONES]
#
# Defaults: 1000 phones, concurrency 200, 2 repeats, and a 10 000-device run for SbdServer's peak RSS.
# Needs: python3, dotnet, dnsmasq (binds UDP 69: run as root), in.tftpd (tftpd-hpa), ../shared/bench/tftp_load.py.
# Results: a table on stdout and the JSON summaries under $OUT (default /tmp/sbd-tftp-bench).
set -euo pipefail

PHONES=${1:-1000}
CONC=${2:-200}
REPEATS=${3:-2}
BIG_PHONES=${4:-10000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
LOAD=${TFTP_LOAD:-$HERE/../shared/bench/tftp_load.py}
OUT=${OUT:-/tmp/sbd-tftp-bench}
TREE=$OUT/tree
BIGTREE=$OUT/tree-$BIG_PHONES
SBD_PORT=16969
HPA_PORT=16971
PIDS=()

cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rm -rf "$OUT"; mkdir -p "$OUT"
python3 "$LOAD" make-tree "$TREE" --phones "$PHONES" >/dev/null
chmod 755 "$OUT" "$TREE"   # dnsmasq and tftpd-hpa drop privileges
dotnet build -c Release "$HERE/bench/SbdServer.Tftp.BenchHost" -v q -nologo >/dev/null
HOSTDLL=$(ls "$HERE"/bench/SbdServer.Tftp.BenchHost/bin/Release/net10.0/SbdServer.Tftp.BenchHost.dll)

wait_udp() { # port
  for _ in $(seq 100); do ss -Hlun "sport = :$1" | grep -q . && return 0; sleep 0.1; done
  echo "nothing listens on UDP $1" >&2; exit 1
}

start_server() { # name tree -> sets PID PORT
  case $1 in
    sbd-static|sbd-memory)
      dotnet "$HOSTDLL" --catalogue "${1#sbd-}" --dir "$2" --Tftp:Port=$SBD_PORT >"$OUT/$1.log" 2>&1 &
      PID=$!; PORT=$SBD_PORT ;;
    dnsmasq)
      dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$2" --tftp-max=1000 \
        --listen-address=127.0.0.1 --bind-interfaces >"$OUT/$1.log" 2>&1 &
      PID=$!; PORT=69 ;;
    tftpd-hpa)
      in.tftpd --foreground --address 127.0.0.1:$HPA_PORT --secure "$2" >"$OUT/$1.log" 2>&1 &
      PID=$!; PORT=$HPA_PORT ;;
  esac
  PIDS+=("$PID")
  wait_udp "$PORT"
}

peak_rss_kb() { # pid (tftpd-hpa forks a child per request: the parent is reported)
  awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

cpu_s() { # pid: user+system CPU seconds of the process and its reaped children (tftpd-hpa's forks)
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

run_load() { # label port tree phones json [extra...]
  local label=$1 port=$2 tree=$3 phones=$4 json=$5; shift 5
  python3 "$LOAD" run --port "$port" --root "$tree" --phones "$phones" --concurrency "$CONC" --procs 2 \
    --time-limit 300 --quiet --json "$json" "$@" || echo "  ($label: tftp_load.py reported failures)" >&2
}

echo "machine: $(nproc) CPU(s), $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs), \
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), dotnet $(dotnet --version)"
for r in $(seq "$REPEATS"); do
  for server in sbd-static sbd-memory dnsmasq tftpd-hpa; do
    start_server "$server" "$TREE"
    c0=$(cpu_s "$PID")
    run_load "$server" "$PORT" "$TREE" "$PHONES" "$OUT/r$r-$server-plain.json"
    c1=$(cpu_s "$PID")
    run_load "$server" "$PORT" "$TREE" "$PHONES" "$OUT/r$r-$server-1428.json" --blksize 1428 --tsize
    c2=$(cpu_s "$PID")
    echo "$c0 $c1" | awk '{ printf "%.2f", $2 - $1 }' >"$OUT/r$r-$server-plain.cpu"
    echo "$c1 $c2" | awk '{ printf "%.2f", $2 - $1 }' >"$OUT/r$r-$server-1428.cpu"
    echo "$(peak_rss_kb "$PID")" >"$OUT/r$r-$server.rss"
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
done

if [ "$BIG_PHONES" -gt 0 ]; then
  python3 "$LOAD" make-tree "$BIGTREE" --phones "$BIG_PHONES" >/dev/null
  for server in sbd-memory sbd-static; do
    start_server "$server" "$BIGTREE"
    run_load "$server" "$PORT" "$BIGTREE" "$BIG_PHONES" "$OUT/big-$server.json" --blksize 1428 --tsize
    echo "$(peak_rss_kb "$PID")" >"$OUT/big-$server.rss"
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
fi

python3 - "$OUT" "$REPEATS" <<'PY'
import json, os, sys
out, repeats = sys.argv[1], int(sys.argv[2])
def load(p):
    return json.loads(open(p).read().replace(": NaN", ": null"))
def cpu(p):
    return float(open(p).read().strip() or 0) if os.path.exists(p) else float("nan")
print("\n%-3s %-11s %-14s %9s %9s %9s %7s %7s %9s %9s" % ("run", "server", "options", "files/s", "p99 ok", "p99 nf",
      "failed", "c-rtx", "srv CPU", "peakRSS"))
for r in range(1, repeats + 1):
    base = {}
    for opt in ("plain", "1428"):
        for server in ("sbd-static", "sbd-memory", "dnsmasq", "tftpd-hpa"):
            s = load(f"{out}/r{r}-{server}-{opt}.json")
            rss = int(open(f"{out}/r{r}-{server}.rss").read().strip() or 0) / 1024
            base.setdefault(opt, {})[server] = s
            print("%-3d %-11s %-14s %9.1f %7.1fms %7.1fms %7d %7d %8.2fs %7.1fMB" % (
                r, server, "none" if opt == "plain" else "blksize+tsize", s["files_per_s"],
                s["latency_ok"]["p99_ms"] or 0, s["latency_notfound"]["p99_ms"] or 0, s["files_failed"],
                s["client_retransmits"], cpu(f"{out}/r{r}-{server}-{opt}.cpu"), rss))
        b = base[opt]
        for sbd in ("sbd-static", "sbd-memory"):
            print("    %s/%s: files/s x%.2f vs dnsmasq, x%.2f vs tftpd-hpa; p99 %.1f vs dnsmasq %.1f ms" % (
                sbd, opt, b[sbd]["files_per_s"] / b["dnsmasq"]["files_per_s"],
                b[sbd]["files_per_s"] / b["tftpd-hpa"]["files_per_s"], b[sbd]["latency_ok"]["p99_ms"],
                b["dnsmasq"]["latency_ok"]["p99_ms"]))
for server in ("sbd-memory", "sbd-static"):
    p = f"{out}/big-{server}.json"
    if os.path.exists(p):
        s = load(p)
        rss = int(open(f"{out}/big-{server}.rss").read().strip() or 0) / 1024
        print("big %-11s %d phones: %.1f files/s, p99 %.1f ms, failed %d, peak RSS %.1f MB" % (
            server, s["config"]["phones"], s["files_per_s"], s["latency_ok"]["p99_ms"], s["files_failed"], rss))
PY
