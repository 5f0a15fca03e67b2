#!/usr/bin/env python3
"""Prepares a running SbdServer for the TFTP boot-storm benchmark (bench/tftp-bootstorm.sh).

  sbd_devices.py create --api http://127.0.0.1:18080 --password PW --phones N [--mac-base 0011AA000000]
      creates N phones SEP<MAC> (MACs as tftp_load.py numbers them) through POST /api/devices
  sbd_devices.py export --http 127.0.0.1:16970 --phones N --dir DIR [--mac-base ...]
      writes what the server serves over HTTP 6970 for the boot sequence (ITLFile.tlv, ITLSEP<MAC>.tlv,
      SEP<MAC>.cnf.xml.sgn; CTLSEP<MAC>.tlv must be 404 in a non-secure cluster) into DIR, so dnsmasq and tftpd-hpa
      serve the very bytes SbdServer generated, and tftp_load.py --root DIR verifies every transfer against them.
"""
import argparse
import base64
import http.client
import json
import os
import sys
import urllib.parse


def mac_for(index, base):
    return "%012X" % ((base + index) & 0xFFFFFFFFFFFF)


def create(args):
    url = urllib.parse.urlsplit(args.api)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    auth = "Basic " + base64.b64encode(("admin:" + args.password).encode()).decode()
    made = 0
    for i in range(args.phones):
        body = json.dumps({"name": "SEP" + mac_for(i, args.mac_base), "model": args.model, "protocol": "SIP"})
        conn.request("POST", "/api/devices", body,
                     {"Authorization": auth, "Content-Type": "application/json"})
        response = conn.getresponse()
        text = response.read()
        if response.status == 201:
            made += 1
        elif response.status != 400 or b"already exists" not in text:
            sys.exit("POST /api/devices answered %d: %s" % (response.status, text[:300]))
    print("created %d phones (%d already there)" % (made, args.phones - made))


def export(args):
    host, port = args.http.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    os.makedirs(args.dir, exist_ok=True)

    def get(name):
        conn.request("GET", "/" + name)
        response = conn.getresponse()
        return response.status, response.read()

    def save(name):
        status, data = get(name)
        if status != 200:
            sys.exit("GET /%s answered %d" % (name, status))
        path = os.path.join(args.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o644)  # tftpd-hpa only serves world-readable files
        return len(data)

    itl = save("ITLFile.tlv")
    cnf = 0
    for i in range(args.phones):
        mac = mac_for(i, args.mac_base)
        status, _ = get("CTLSEP%s.tlv" % mac)
        if status != 404:
            sys.exit("CTLSEP%s.tlv answered %d; the benchmark expects a non-secure cluster (404)" % (mac, status))
        save("ITLSEP%s.tlv" % mac)
        cnf = save("SEP%s.cnf.xml.sgn" % mac)
    print("exported %d files to %s (ITL %d B, cnf.xml.sgn %d B)" % (1 + 2 * args.phones, args.dir, itl, cnf))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("create")
    c.add_argument("--api", required=True)
    c.add_argument("--password", required=True)
    c.add_argument("--model", default="8861")
    e = sub.add_parser("export")
    e.add_argument("--http", required=True)
    e.add_argument("--dir", required=True)
    for p in (c, e):
        p.add_argument("--phones", type=int, required=True)
        p.add_argument("--mac-base", type=lambda s: int(s, 16), default=0x0011AA000000)
    args = parser.parse_args()
    create(args) if args.command == "create" else export(args)


if __name__ == "__main__":
    main()
