#!/usr/bin/env python3
"""CAPF install load (issue 15, docs/benchmarks.md "CAPF (issue 15)").

Every session is one TLS connection that installs an LSC the way a phone does (formats.md section 6):
AUTH_REQUEST -> AUTH_RESPONSE (null string) -> KEY_GENERATE_REQUEST -> REQUEST_IN_PROGRESS + KEY_GENERATE_RESPONSE
(RSA public key) -> STORE_CERTIFICATE_REQUEST -> STORE_CERTIFICATE_RESPONSE -> END_SESSION 1. The RSA keys are made
before the clock starts (a pool reused round robin), so the run measures the server's work: the TLS handshake, the
LSC it signs and what it records.

  capf_load.py --port 3804 --cafile capf.pem --mac-base 0011CC000000 --sessions 1000 --concurrency 20 --procs 2
               [--json out.json] [--key-size 2048] [--keys 16]

Device i is SEP<mac-base + i>; each must have an install scheduled. Prints one summary line; exits 1 when any
session failed.
"""
import argparse
import json
import multiprocessing
import socket
import ssl
import struct
import sys
import threading
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROTOCOL_ID = 0x55
AUTH_REQUEST, AUTH_RESPONSE, KEY_GENERATE_REQUEST, KEY_GENERATE_RESPONSE = 1, 2, 3, 4
STORE_CERTIFICATE_REQUEST, STORE_CERTIFICATE_RESPONSE, END_SESSION, REQUEST_IN_PROGRESS = 9, 10, 15, 17
REASON, VERSION, PUBLIC_KEY, PASSWORD, DEVICE_NAME = 1, 7, 9, 11, 13


def element(tag, value):
    return struct.pack(">BH", tag, len(value)) + value


def send(tls, command, session_id, payload=b""):
    tls.sendall(struct.pack(">BBIH", PROTOCOL_ID, command, session_id, len(payload)) + payload)


def read_exact(tls, n):
    data = b""
    while len(data) < n:
        chunk = tls.recv(n - len(data))
        if not chunk:
            raise EOFError("server closed the connection")
        data += chunk
    return data


def receive(tls):
    protocol, command, session_id, length = struct.unpack(">BBIH", read_exact(tls, 8))
    if protocol != PROTOCOL_ID:
        raise ValueError("protocol id %d" % protocol)
    body = read_exact(tls, length)
    elements, offset = {}, 0
    while offset + 3 <= len(body):
        tag, size = struct.unpack_from(">BH", body, offset)
        elements[tag] = body[offset + 3:offset + 3 + size]
        offset += 3 + size
    return command, session_id, elements


def session(host, port, context, device, spki, timeout):
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw) as tls:
            command, sid, _ = receive(tls)
            if command != AUTH_REQUEST:
                raise ValueError("opened with command %d" % command)
            send(tls, AUTH_RESPONSE, sid, element(REASON, b"\x01") + element(VERSION, b"\x03")
                 + element(PASSWORD, b"\x00") + element(DEVICE_NAME, device.encode() + b"\x00"))
            command, _, elements = receive(tls)
            if command != KEY_GENERATE_REQUEST:
                raise ValueError("after AUTH_RESPONSE: command %d reason %r" % (command, elements.get(REASON)))
            send(tls, REQUEST_IN_PROGRESS, sid)
            send(tls, KEY_GENERATE_RESPONSE, sid, element(PUBLIC_KEY, spki))
            command, _, elements = receive(tls)
            if command != STORE_CERTIFICATE_REQUEST:
                raise ValueError("after KEY_GENERATE_RESPONSE: command %d" % command)
            send(tls, STORE_CERTIFICATE_RESPONSE, sid, element(REASON, b"\x01"))
            command, _, elements = receive(tls)
            if command != END_SESSION or elements.get(REASON) != b"\x01":
                raise ValueError("ended with command %d reason %r" % (command, elements.get(REASON)))


def worker(args, indices, keys, results):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    if args.cafile:
        context.load_verify_locations(cafile=args.cafile)
        context.verify_mode = ssl.CERT_REQUIRED
    else:
        context.verify_mode = ssl.CERT_NONE
    lock = threading.Lock()
    queue = list(indices)

    def loop():
        while True:
            with lock:
                if not queue:
                    return
                i = queue.pop()
            device = "SEP%012X" % ((args.mac_base + i) & 0xFFFFFFFFFFFF)
            start = time.perf_counter()
            try:
                session(args.host, args.port, context, device, keys[i % len(keys)], args.timeout)
                results.append((True, (time.perf_counter() - start) * 1000, ""))
            except Exception as error:  # every failure is counted, the first few are printed
                results.append((False, (time.perf_counter() - start) * 1000, "%s: %s" % (type(error).__name__, error)))

    threads = [threading.Thread(target=loop) for _ in range(max(1, args.concurrency // args.procs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def proc_main(args, indices, keys_der, out, barrier):
    results = []
    barrier.wait()
    worker(args, indices, keys_der, results)
    out.put(results)


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3804)
    parser.add_argument("--cafile", help="CAPF certificate (PEM) the server must present; none = no check")
    parser.add_argument("--mac-base", type=lambda s: int(s, 16), default=0x0011CC000000)
    parser.add_argument("--first", type=int, default=0, help="index of the first device")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--keys", type=int, default=16)
    parser.add_argument("--key-size", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--json")
    args = parser.parse_args()

    # Key generation ahead of the clock: the server's work is what is measured.
    keys = [rsa.generate_private_key(65537, args.key_size).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) for _ in range(args.keys)]
    indices = list(range(args.first, args.first + args.sessions))
    out = multiprocessing.Queue()
    barrier = multiprocessing.Barrier(args.procs + 1)
    procs = [multiprocessing.Process(target=proc_main, args=(args, indices[p::args.procs], keys, out, barrier))
             for p in range(args.procs)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    results = []
    for _ in procs:
        results.extend(out.get())
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()

    ok = sorted(ms for good, ms, _ in results if good)
    failures = [why for good, _, why in results if not good]
    summary = {
        "sessions": len(results), "ok": len(ok), "failed": len(failures),
        "sessions_per_s": round(len(ok) / elapsed, 2), "elapsed_s": round(elapsed, 3),
        "p50_ms": round(percentile(ok, 50), 1), "p90_ms": round(percentile(ok, 90), 1),
        "p99_ms": round(percentile(ok, 99), 1), "max_ms": round(ok[-1], 1) if ok else 0.0,
        "first_failures": failures[:5],
    }
    print(" ".join("%s=%s" % (k, v) for k, v in summary.items() if k != "first_failures"))
    for why in failures[:5]:
        print("failed: " + why)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
    sys.exit(0 if not failures else 1)


if __name__ == "__main__":
    main()
