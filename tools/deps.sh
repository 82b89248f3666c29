#!/bin/sh
# Checks the build dependencies. As root it installs what is missing with
# apt-get; otherwise it prints the exact apt-get line and fails.
# Called by the Makefile before anything is compiled.
set -u
PKGS="build-essential pkg-config libsqlite3-dev libstemmer-dev libmicrohttpd-dev \
libutf8proc-dev libjansson-dev libxml2-dev libpoppler-glib-dev libcmocka-dev \
wngerman sqlite3 curl time jq python3 clang libclang-rt-14-dev"

missing() {
	pkg-config --exists sqlite3 libutf8proc jansson libxml-2.0 poppler-glib \
		libmicrohttpd cmocka 2>/dev/null || return 0
	[ -f /usr/include/libstemmer.h ] || return 0
	[ -f /usr/share/dict/ngerman ] || return 0
	command -v sqlite3 >/dev/null 2>&1 || return 0
	command -v curl >/dev/null 2>&1 || return 0
	[ -x /usr/bin/time ] || return 0
	command -v jq >/dev/null 2>&1 || return 0
	command -v python3 >/dev/null 2>&1 || return 0
	command -v clang >/dev/null 2>&1 || return 0
	[ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ] || return 0
	return 1
}

missing || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing build dependencies with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $PKGS >&2 || {
		echo "deps: apt-get install failed" >&2
		exit 1
	}
	missing && { echo "deps: still missing after install" >&2; exit 1; }
	exit 0
fi
echo "deps: build dependencies are missing. Install them with:" >&2
echo "  sudo apt-get install -y $PKGS" | tr -s ' ' >&2
exit 1
