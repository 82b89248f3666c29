#!/usr/bin/env python3
"""Time to first answer for tests/bench/scale.

Evicts the given index files from the page cache (posix_fadvise DONTNEED:
needs no privileges and touches only our files; tests/bench/scale has
already tried the global drop_caches), starts findling-searchd on a free
loopback port and polls one /api/search until it answers 200. Prints
"cold_ms N" (from the start of the daemon to the first 200) on stdout.

Usage: scale_cold.py SEARCHD INDEX QUERY [FILE_TO_EVICT...]
"""

import http.client
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

# How long a daemon may take to answer at all before we give up.
START_LIMIT_S = 120.0
# Pause between polls: well under the millisecond figures we report.
POLL_PAUSE_S = 0.001


def evict(paths):
    for p in paths:
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue  # no -wal or -shm: nothing to evict
        try:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def port_of(proc, deadline):
    """Reads the daemon's "listening on http://HOST:PORT/" line."""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("listening on "):
            hostport = line.split("//", 1)[1].rstrip("/\n")
            return int(hostport.rsplit(":", 1)[1])
    sys.exit("scale_cold: the daemon printed no 'listening on' line")


def status(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=START_LIMIT_S)
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status
    except OSError:
        return None  # not accepting yet
    finally:
        c.close()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[-1])
    searchd, index, query = sys.argv[1:4]
    evict(sys.argv[4:])
    path = "/api/search?q=" + urllib.parse.quote(query, safe="")
    t0 = time.monotonic()
    deadline = t0 + START_LIMIT_S
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([searchd, "--index", index, "--listen",
                             "127.0.0.1:0", "--cache-mb", "0"],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    ok = False
    try:
        port = port_of(proc, deadline)
        while time.monotonic() < deadline:
            if status(port, path) == 200:
                print("cold_ms %.1f" % ((time.monotonic() - t0) * 1000))
                ok = True
                return
            time.sleep(POLL_PAUSE_S)
        sys.exit("scale_cold: no 200 from %s within %.0f s"
                 % (path, START_LIMIT_S))
    finally:
        proc.terminate()
        proc.wait()
        if not ok:  # the daemon's own words on why
            log.seek(0)
            sys.stderr.write(log.read())
        log.close()


if __name__ == "__main__":
    main()
