"""Raw HTTP/1.1 over sockets for the daemon tests (t302, t303): a
connection from a chosen loopback source address, and reading one answer
(head and Content-Length body) from it."""
import socket


def conn(port, src="127.0.0.1", timeout=5.0):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_answer(s, bufsize=65536):
    """(head, body) of one answer; head is None when the connection closed
    before a complete head."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(bufsize)
        if not chunk:
            return None, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = s.recv(bufsize)
        if not chunk:
            break
        body += chunk
    return head, body
