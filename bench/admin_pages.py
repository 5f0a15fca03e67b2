#!/usr/bin/env python3
"""Load of signed-in admin UI page requests against a running SbdServer node (issue 13, Performance).

  admin_pages.py --url https://127.0.0.1:18443 --password PW [--requests 200] [--concurrency 4] [--device SEP...]

Signs in through /admin/signin (antiforgery token and cookie, as a browser does), collects every page the navigation
links to (so pages that land later are measured without editing this list) plus the detail pages and the device
searches listed below, then sends --requests GETs per page from --concurrency keep-alive HTTPS connections and prints
per page: p50 and p95 of the time from sending the request to the last byte of the answer (loopback, so this is the
server's time plus well under a millisecond), the HTML size and the status. Every answer must be 200 and the signed-in
page (a redirect to sign-in would be a 302 and fails the run).
"""
import argparse
import base64
import html.parser
import http.client
import ssl
import sys
import threading
import time
import urllib.parse


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_nav = 0
        self.links = []
        self.token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.in_nav += 1
        elif tag == "a" and self.in_nav and attrs.get("href", "").startswith("/admin"):
            self.links.append(attrs["href"])
        elif tag == "input" and attrs.get("name") == "__RequestVerificationToken":
            self.token = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "nav" and self.in_nav:
            self.in_nav -= 1


class Client:
    def __init__(self, url):
        self.url = urllib.parse.urlsplit(url)
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # the node's self-signed tomcat certificate
        self.cookies = {}
        self.conn = self.connect()

    def connect(self):
        return http.client.HTTPSConnection(self.url.hostname, self.url.port, context=self.context, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies and "Authorization" not in headers:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        try:
            started = time.perf_counter()
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The listener closes keep-alive connections left idle (while the warm-up ran on another): reconnect once
            # and time the request from the new connection's start, its TLS handshake included.
            self.conn.close()
            self.conn = self.connect()
            started = time.perf_counter()
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = self.connect()
        return response.status, data, elapsed, response.getheader("Location")

    def sign_in(self, user, password):
        status, data, _, _ = self.request("GET", "/admin/signin")
        parser = Links()
        parser.feed(data.decode("utf-8", "replace"))
        if status != 200 or not parser.token:
            sys.exit("GET /admin/signin answered %d without an antiforgery token" % status)
        form = urllib.parse.urlencode({"UserName": user, "Password": password, "ReturnUrl": "/admin",
                                       "__RequestVerificationToken": parser.token})
        status, _, _, location = self.request("POST", "/admin/signin", form,
                                              {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or location not in ("/admin", "/admin/"):
            sys.exit("sign-in answered %d (Location %s): wrong password or locked?" % (status, location))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--node", default=None, help="node name for the certificate pages (default: the first in the list)")
    parser.add_argument("--device", default=None, help="a device for the detail pages (default: the first listed)")
    parser.add_argument("--search", default="1A2B", help="text for the device search")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    clients = [Client(args.url) for _ in range(args.concurrency)]
    clients[0].sign_in(args.user, args.password)
    for c in clients[1:]:
        c.cookies = dict(clients[0].cookies)

    status, data, _, _ = clients[0].request("GET", "/admin")
    if status != 200:
        sys.exit("GET /admin answered %d after sign-in" % status)
    nav = Links()
    nav.feed(data.decode("utf-8", "replace"))
    pages = [link for link in dict.fromkeys(nav.links) if link != "/admin/signout"]

    node = args.node
    if node is None:
        _, certs, _, _ = clients[0].request("GET", "/admin/certificates")
        marker = b"/admin/certificates/details?node="
        start = certs.find(marker)
        node = urllib.parse.unquote(certs[start + len(marker):certs.find(b"&", start)].decode()) if start >= 0 else "cucm-pub"
    device = args.device
    if device is None:
        _, devs, _, _ = clients[0].request("GET", "/admin/devices")
        marker = b"/admin/devices/details?name="
        start = devs.find(marker)
        device = devs[start + len(marker):devs.find(b'"', start)].decode() if start >= 0 else None
    q = urllib.parse.quote(node)
    pages += [
        "/admin/certificates/details?node=%s&name=CallManager" % q,
        "/admin/certificates/regenerate?node=%s&name=TVS" % q,
        "/admin/certificates/upload",
        "/admin/devices?q=%s" % urllib.parse.quote(args.search),
        "/admin/devices?itl=mismatch",
        "/admin/devices?itl=notinstalled&p=100",
        "/admin/devices/itlreset",
    ]
    if device:
        pages += ["/admin/devices/details?name=" + device, "/admin/devices/reset?name=" + device]

    # The peer: the REST API's trust inventory with the same ITL filter, computed in memory over every device (what
    # the Devices page would cost without the database-side filter). Basic auth, no cookie.
    basic = "Basic " + base64.b64encode(("%s:%s" % (args.user, args.password)).encode()).decode()
    peers = {"/api/inventory?itlStatus=mismatched": {"Authorization": basic}}

    print("%-62s %8s %8s %9s %6s" % ("page", "p50 ms", "p95 ms", "HTML KB", "status"))
    failed = False
    for page in pages + list(peers):
        headers = peers.get(page)
        timings, sizes, statuses = [], [], set()
        lock = threading.Lock()
        per_client = max(1, args.requests // args.concurrency)

        def run(client):
            for _ in range(per_client):
                s, body, elapsed, _ = client.request("GET", page, headers=headers)
                with lock:
                    timings.append(elapsed * 1000.0)
                    sizes.append(len(body))
                    statuses.add(s)

        for client in clients:  # warm: the first render compiles the view and fills caches
            for _ in range(2):
                client.request("GET", page, headers=headers)
        threads = [threading.Thread(target=run, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failed |= statuses != {200}
        print("%-62s %8.1f %8.1f %9.1f %6s" % (page[:62], percentile(timings, 50), percentile(timings, 95),
                                                max(sizes) / 1024.0, ",".join(map(str, sorted(statuses)))))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
