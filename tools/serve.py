#!/usr/bin/env python3
"""Serves a built Hearth (dist/) on 127.0.0.1 the way a real static host does,
so that measurements see real transfer sizes and caching:

- every file is compressed once at start (brotli quality 11 with the `brotli`
  command, gzip level 9) and sent with `Content-Encoding` as the browser's
  `Accept-Encoding` allows, with `Vary: Accept-Encoding`;
- files with a content hash in their name or folder are cached for a year
  (`immutable`); `index.html`, `sw.js` and other unhashed files are
  `no-cache`, as README's "Deploying" asks of a host;
- every answer carries the security headers README's "Deploying" asks for
  (`SECURITY_HEADERS`): no framing by another site, no type sniffing, no
  referrer, no camera, microphone or location.

Usage: tools/serve.py DIST [PORT]. Port 0 (the default) picks a free one. The
first line printed is the address; it serves until killed.
"""

import gzip
import http.server
import mimetypes
import re
import shutil
import subprocess
import sys
from pathlib import Path

# A content hash in the file's name, or in its folder's (pkg-<hash>/ holds the wasm).
HASHED = re.compile(r"-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$|^pkg-[0-9a-f]{16}/")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
}
# What README's "Deploying" asks a host to send with every file. The page's own
# Content-Security-Policy (a meta tag, with the inline script's hash) still
# applies; this header adds what a meta tag can't say.
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Frame-Options": "DENY",
}
COMPRESSIBLE = {".html", ".js", ".wasm", ".css", ".svg", ".webmanifest", ".json"}


def load(root: Path) -> dict:
    """Every file under root: (type, cache-control, {encoding: bytes})."""
    have_brotli = shutil.which("brotli") is not None
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        bodies = {"identity": raw}
        if path.suffix in COMPRESSIBLE:
            bodies["gzip"] = gzip.compress(raw, compresslevel=9, mtime=0)
            if have_brotli:
                bodies["br"] = subprocess.run(
                    ["brotli", "-c", "-q", "11"], input=raw, capture_output=True, check=True
                ).stdout
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        name = path.relative_to(root).as_posix()
        cache = "public, max-age=31536000, immutable" if HASHED.search(name) else "no-cache"
        files["/" + name] = (kind, cache, bodies)
    files["/"] = files["/index.html"]
    return files


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    files = load(root)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self.respond(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self.respond(body=False)

        def respond(self, body: bool) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            found = files.get(path)
            if found is None:
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "9")
                for name, value in SECURITY_HEADERS.items():
                    self.send_header(name, value)
                self.end_headers()
                if body:
                    self.wfile.write(b"not found")
                return
            kind, cache, bodies = found
            accepted = {
                part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")
            }
            encoding = next((e for e in ("br", "gzip") if e in accepted and e in bodies), "identity")
            data = bodies[encoding]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", cache)
            self.send_header("Vary", "Accept-Encoding")
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)
            if encoding != "identity":
                self.send_header("Content-Encoding", encoding)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
