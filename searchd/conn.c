/*
 * conn.c - a header deadline against slow-loris clients, on top of what
 * libmicrohttpd does itself: MHD's timeout only catches silent
 * connections, a client trickling one header byte at a time would hold
 * its connection (and one of the 512 slots) forever. A connection whose
 * next request is not complete (request line and headers) within --timeout
 * seconds of its start or of the previous answer is shut down by the main
 * thread's once-a-second sweep.
 * The list is guarded by d->conn_mu; MHD's CLOSED notification runs
 * before it closes the socket, so a swept descriptor is always still ours.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "http.h"
#include "fl_banned.h"

struct sd_conn {
	struct sd_conn *prev, *next;
	MHD_socket fd;
	atomic_ullong since_ns;      /* waiting for a request since; 0 = busy */
};

static void conn_started(struct sd_daemon *d, struct MHD_Connection *c,
			 void **socket_context)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct sd_conn *sc;

	atomic_fetch_add(&d->nconns, 1);
	*socket_context = NULL;
	if (!ci || !(sc = calloc(1, sizeof *sc)))
		return;      /* not swept; the idle timeout still applies */
	sc->fd = ci->connect_fd;
	atomic_store(&sc->since_ns, sd_now_ns());
	pthread_mutex_lock(&d->conn_mu);
	sc->next = d->conns;
	if (d->conns)
		d->conns->prev = sc;
	d->conns = sc;
	pthread_mutex_unlock(&d->conn_mu);
	*socket_context = sc;
}

static void conn_closed(struct sd_daemon *d, void **socket_context)
{
	struct sd_conn *sc = *socket_context;

	atomic_fetch_sub(&d->nconns, 1);
	if (!sc)
		return;
	pthread_mutex_lock(&d->conn_mu);
	if (sc->prev)
		sc->prev->next = sc->next;
	else
		d->conns = sc->next;
	if (sc->next)
		sc->next->prev = sc->prev;
	pthread_mutex_unlock(&d->conn_mu);
	free(sc);
	*socket_context = NULL;
}

void sd_conn_notify(void *cls, struct MHD_Connection *c,
		    void **socket_context,
		    enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		conn_started(cls, c, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		conn_closed(cls, socket_context);
}

void sd_conn_busy(struct MHD_Connection *c, int busy)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct sd_conn *sc = ci ? ci->socket_context : NULL;

	if (sc)
		atomic_store(&sc->since_ns, busy ? 0 : sd_now_ns());
}

unsigned sd_conn_sweep(struct sd_daemon *d)
{
	uint64_t now = sd_now_ns();
	uint64_t limit = (uint64_t)d->opt.timeout_s * 1000000000u;
	unsigned n = 0;
	struct sd_conn *sc;

	pthread_mutex_lock(&d->conn_mu);
	for (sc = d->conns; sc; sc = sc->next) {
		uint64_t since = atomic_load(&sc->since_ns);

		/* since may be newer than now: a worker set it meanwhile */
		if (since == 0 || since >= now || now - since <= limit)
			continue;
		/* MHD sees end of input and closes the connection itself. */
		shutdown(sc->fd, SHUT_RDWR);
		atomic_store(&sc->since_ns, 0);
		n++;
	}
	pthread_mutex_unlock(&d->conn_mu);
	if (n)
		atomic_fetch_add(&d->metrics.conn_swept, n);
	return n;
}
