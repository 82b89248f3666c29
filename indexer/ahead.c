/*
 * ahead.c - look-ahead analysis on a worker thread (see ahead.h). A ring
 * of IDX_AHEAD_SLOTS: the main thread fills slots in order, the worker
 * analyses them in the same order, and the main thread takes them back
 * (oldest first) to write them; a mutex and two condition variables
 * count the records over.
 *
 * The suggest words are not counted here (tokens.tally stays NULL): the
 * writer counts them while it replays the tokens, straight into the
 * batch tally. Counting per text here and merging on the writer cost the
 * analyser 0.5 s CPU on news-de.jsonl and the writer only 0.15 s less;
 * the analyser is the busier thread.
 */
#include "ahead.h"

#include <stdlib.h>
#include <string.h>

#include "fl_banned.h"

static void analyse_doc(struct idx_ahead *a, struct idx_ahead_slot *s,
			const struct fl_doc *d);

static void analyse(struct idx_ahead *a, struct idx_ahead_slot *s)
{
	const struct fl_doc *d = &s->doc;

	s->ok = 0;
	if (s->line_len) {
		fl_err_clear(&s->err);
		s->kind = idx_jsonl_parse(s->line, s->line_len, &s->doc, s->why,
					  &s->err);
		if (s->kind != FL_OK)
			return;
	}
	analyse_doc(a, s, d);
}

static void analyse_doc(struct idx_ahead *a, struct idx_ahead_slot *s,
			const struct fl_doc *d)
{
	const char *title = d->title ? d->title : "";
	const char *body = d->body ? d->body : "";
	size_t blen = d->body_len ? d->body_len : strlen(body);
	struct fl_err err;

	fl_err_clear(&err);
	s->ok = fl_analyzer_collect(a->an, title, strlen(title),
				    FL_ANALYZE_DOCUMENT, &s->title,
				    &err) == FL_OK &&
		fl_analyzer_collect(a->an, body, blen, FL_ANALYZE_DOCUMENT,
				    &s->body, &err) == FL_OK;
}

static void *worker(void *arg)
{
	struct idx_ahead *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		size_t j;

		while (a->analysed == a->submitted && !a->stop)
			pthread_cond_wait(&a->work_cv, &a->mu);
		if (a->stop)
			break;
		j = a->analysed % IDX_AHEAD_SLOTS;
		pthread_mutex_unlock(&a->mu);
		analyse(a, &a->s[j]);
		pthread_mutex_lock(&a->mu);
		a->analysed++;
		pthread_cond_signal(&a->done_cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

static void free_slots(struct idx_ahead *a)
{
	size_t i;

	if (!a->s)
		return;
	for (i = 0; i < IDX_AHEAD_SLOTS; i++) {
		struct idx_ahead_slot *s = &a->s[i];

		if (s->used)
			idx_ahead_done(s);
		free(s->line);
		s->line = NULL;
		fl_tokens_release(&s->title);
		fl_tokens_release(&s->body);
	}
	free(a->s);
	a->s = NULL;
}

int idx_ahead_start(struct idx_ahead *a, struct fl_lexicon *lex)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->s = calloc(IDX_AHEAD_SLOTS, sizeof(*a->s));
	if (!a->s)
		return -1;
	for (i = 0; i < IDX_AHEAD_SLOTS; i++) {
		fl_doc_init(&a->s[i].doc);
		fl_tokens_init(&a->s[i].title);
		fl_tokens_init(&a->s[i].body);
	}
	if (fl_analyzer_new(lex, &a->an, NULL) != 0) {
		free_slots(a);
		return -1;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->work_cv, NULL);
	pthread_cond_init(&a->done_cv, NULL);
	if (pthread_create(&a->th, NULL, worker, a) != 0) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->work_cv);
		pthread_cond_destroy(&a->done_cv);
		fl_analyzer_free(a->an);
		a->an = NULL;
		free_slots(a);
		return -1;
	}
	a->running = 1;
	return 0;
}

/* Wait until the oldest record in flight is analysed and hand it back. */
static struct idx_ahead_slot *take_oldest(struct idx_ahead *a)
{
	struct idx_ahead_slot *s;

	pthread_mutex_lock(&a->mu);
	while (a->analysed <= a->tail)
		pthread_cond_wait(&a->done_cv, &a->mu);
	pthread_mutex_unlock(&a->mu);
	s = &a->s[a->tail % IDX_AHEAD_SLOTS];
	a->tail++;
	a->inflight -= s->line_len;
	return s;
}

static void submit(struct idx_ahead *a, struct idx_ahead_slot *s)
{
	s->used = 1;
	s->ok = 0;
	s->kind = FL_OK;
	a->head++;
	pthread_mutex_lock(&a->mu);
	a->submitted = a->head;
	pthread_cond_signal(&a->work_cv);
	pthread_mutex_unlock(&a->mu);
}

struct idx_ahead_slot *idx_ahead_push_line(struct idx_ahead *a,
					   const char *str, size_t n,
					   size_t lineno, int *oom)
{
	/* the caller released the slot handed back last: head is free */
	struct idx_ahead_slot *s = &a->s[a->head % IDX_AHEAD_SLOTS];

	*oom = 0;
	if (n + 1 > s->line_cap) {
		char *p = realloc(s->line, n + 1);

		if (!p) {
			/* this record is lost with the run, which stops on
			 * *oom; the caller flushes the rest */
			*oom = 1;
			return NULL;
		}
		s->line = p;
		s->line_cap = n + 1;
	}
	memcpy(s->line, str, n);
	s->line[n] = '\0';
	s->line_len = n;
	s->lineno = lineno;
	fl_doc_init(&s->doc);
	submit(a, s);
	a->inflight += n;
	if (a->head - a->tail < IDX_AHEAD_SLOTS &&
	    a->inflight < IDX_AHEAD_BYTES)
		return NULL;
	return take_oldest(a);
}

struct idx_ahead_slot *idx_ahead_flush(struct idx_ahead *a)
{
	if (a->tail == a->head)
		return NULL;
	return take_oldest(a);
}

/* Free what a long record grew, so the slot does not keep it. */
static void slot_trim(struct idx_ahead_slot *s)
{
	if (s->line_cap > IDX_AHEAD_KEEP_BYTES) {
		free(s->line);
		s->line = NULL;
		s->line_cap = 0;
	}
	fl_tokens_trim(&s->title, IDX_AHEAD_KEEP_BYTES);
	fl_tokens_trim(&s->body, IDX_AHEAD_KEEP_BYTES);
}

void idx_ahead_done(struct idx_ahead_slot *s)
{
	fl_doc_release(&s->doc);
	fl_doc_init(&s->doc);
	slot_trim(s);
	s->used = 0;
}

void idx_ahead_stop(struct idx_ahead *a)
{
	struct idx_ahead_slot *s;

	if (!a->running)
		return;
	while ((s = idx_ahead_flush(a)) != NULL)
		idx_ahead_done(s);
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_signal(&a->work_cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->th, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->work_cv);
	pthread_cond_destroy(&a->done_cv);
	free_slots(a);
	fl_analyzer_free(a->an);
	a->an = NULL;
	a->running = 0;
}
