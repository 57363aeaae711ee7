"""C2 listener: answers every request with a tiny tasking and appends one JSON line per beacon."""
import json, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = "/var/log/c2/beacons.log"


class Beacon(BaseHTTPRequestHandler):
    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "source": self.client_address[0],
                  "method": self.command, "host": self.headers.get("Host", ""), "path": self.path,
                  "forwarded": self.headers.get("X-Forwarded-For", ""), "body": body[:4096]}
        with open(LOG, "a") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"sleep 60\n")

    do_GET = do_POST = do_PUT = handle_one

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("0.0.0.0", 80), Beacon).serve_forever()
