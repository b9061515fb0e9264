#!/usr/bin/env python3
"""Counting HTTP proxy in front of the benchmark's registry (plain HTTP, loopback only).

Usage: counting_proxy.py LISTEN_PORT UPSTREAM_HOST:PORT LOG_FILE

Forwards every request unchanged (Host header included, so the registry's Location headers point back at the proxy)
and appends one line per request to LOG_FILE: "METHOD PATH STATUS REQUEST_BODY_BYTES". The request body bytes are
counted as they are forwarded (Content-Length bodies and chunked bodies, decoded), so a blob upload's line holds the
bytes the client sent to the registry, whatever tool sent them.
"""
import http.client
import http.server
import sys
import threading

LISTEN_PORT = int(sys.argv[1])
UPSTREAM_HOST, UPSTREAM_PORT = sys.argv[2].rsplit(":", 1)
LOG = open(sys.argv[3], "a", buffering=1)
LOG_LOCK = threading.Lock()
BLOCK = 1 << 20
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # no per-request stderr noise
        pass

    def _upstream(self):
        conn = getattr(self, "_conn", None)
        if conn is None:
            conn = self._conn = http.client.HTTPConnection(UPSTREAM_HOST, int(UPSTREAM_PORT), timeout=600)
        return conn

    def _read(self, count):
        """Exactly count bytes of the request body, in blocks as they arrive."""
        while count:
            data = self.rfile.read(min(BLOCK, count))
            if not data:
                raise ConnectionError("client closed mid-body")
            count -= len(data)
            yield data

    def _body_chunks(self):
        """The request body as it arrives (decoded if chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            yield from self._read(int(self.headers.get("Content-Length") or 0))
            return
        while size := int(self.rfile.readline().split(b";", 1)[0].strip(), 16):
            yield from self._read(size)
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
            pass

    def _forward(self):
        chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        has_body = chunked or int(self.headers.get("Content-Length") or 0) > 0
        conn = self._upstream()
        conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in HOP_BY_HOP:
                conn.putheader(name, value)
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        sent = 0
        if has_body:
            for data in self._body_chunks():
                sent += len(data)
                conn.send(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            if chunked:
                conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        self.send_response_only(response.status, response.reason)
        length = response.getheader("Content-Length")
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        if self.command == "HEAD" or response.status in (204, 304) or length is not None:
            self.end_headers()
            while self.command != "HEAD":
                data = response.read(BLOCK)
                if not data:
                    break
                self.wfile.write(data)
            if self.command == "HEAD":
                response.read()
        else:
            data = response.read()
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        self.wfile.flush()
        with LOG_LOCK:
            LOG.write(f"{self.command} {self.path.split('?', 1)[0]} {response.status} {sent}\n")

    def _handle(self):
        try:
            self._forward()
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            self._conn = None
            with LOG_LOCK:
                LOG.write(f"{self.command} {self.path.split('?', 1)[0]} ERROR {e!r}\n")
            self.close_connection = True

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


Server(("127.0.0.1", LISTEN_PORT), Handler).serve_forever()
