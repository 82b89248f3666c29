/*
 * ahead.c - one-document look-ahead analysis on a worker thread (see
 * ahead.h). Two slots: the worker analyses one while the main thread
 * writes the other; a mutex and one condition variable hand them over.
 */
#include "ahead.h"

#include <stdlib.h>
#include <string.h>

#include "fl_banned.h"

/* Hash slots of a per-text suggest tally (a news text has a few hundred
 * distinct words; it grows for longer ones). */
#define AHEAD_TALLY_SLOTS 1024

static void analyse_doc(struct idx_ahead *a, struct idx_ahead_slot *s,
			const struct fl_doc *d);

static int count_cb(void *ctx, const struct fl_token *t)
{
	struct fl_tokens *tl = ctx;

	return fl_tally_token(tl->tally, tl->src, t);
}

/* Count the suggest words of tl ahead; without a tally the tokenizer
 * counts them itself. */
static void count_words(struct fl_tokens *tl)
{
	if (!tl->tally)
		return;
	fl_tally_clear(tl->tally);
	fl_tally_set_sign(tl->tally, 1);
	if (fl_tokens_replay(tl, count_cb, tl) != 0) {
		fl_tally_free(tl->tally);
		tl->tally = NULL;
	}
}

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
	if (s->ok) {
		count_words(&s->title);
		count_words(&s->body);
	}
}

static void *worker(void *arg)
{
	struct idx_ahead *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		int j;

		while (a->job < 0 && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop)
			break;
		j = a->job;
		a->job = -1;
		pthread_mutex_unlock(&a->mu);
		analyse(a, &a->s[j]);
		pthread_mutex_lock(&a->mu);
		a->s[j].done = 1;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

static void free_slots(struct idx_ahead *a)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (a->s[i].used)
			idx_ahead_done(&a->s[i]);
		fl_tally_free(a->s[i].title.tally);
		fl_tally_free(a->s[i].body.tally);
		free(a->s[i].line);
		a->s[i].line = NULL;
		fl_tokens_release(&a->s[i].title);
		fl_tokens_release(&a->s[i].body);
	}
}

int idx_ahead_start(struct idx_ahead *a, struct fl_lexicon *lex)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->job = -1;
	a->pending = -1;
	for (i = 0; i < 2; i++) {
		fl_doc_init(&a->s[i].doc);
		fl_tokens_init(&a->s[i].title);
		fl_tokens_init(&a->s[i].body);
		/* NULL (out of memory) only means counting on the main thread */
		a->s[i].title.tally = fl_tally_new_sized(AHEAD_TALLY_SLOTS);
		a->s[i].body.tally = fl_tally_new_sized(AHEAD_TALLY_SLOTS);
	}
	if (fl_analyzer_new(lex, &a->an, NULL) != 0) {
		free_slots(a);
		return -1;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->th, NULL, worker, a) != 0) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->cv);
		fl_analyzer_free(a->an);
		a->an = NULL;
		free_slots(a);
		return -1;
	}
	a->running = 1;
	return 0;
}

/* Wait until slot j is analysed. */
static struct idx_ahead_slot *wait_done(struct idx_ahead *a, int j)
{
	pthread_mutex_lock(&a->mu);
	while (!a->s[j].done)
		pthread_cond_wait(&a->cv, &a->mu);
	pthread_mutex_unlock(&a->mu);
	return &a->s[j];
}

/* The free slot, after the previous job is finished (one job at a time:
 * that one is handed back to be put). */
static int next_slot(struct idx_ahead *a, struct idx_ahead_slot **prev)
{
	int p = a->pending;

	*prev = NULL;
	if (p >= 0)
		*prev = wait_done(a, p);
	return p == 0 ? 1 : 0;
}

static void submit(struct idx_ahead *a, int j)
{
	struct idx_ahead_slot *s = &a->s[j];

	s->used = 1;
	s->done = 0;
	s->ok = 0;
	s->kind = FL_OK;
	pthread_mutex_lock(&a->mu);
	a->job = j;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	a->pending = j;
}

struct idx_ahead_slot *idx_ahead_push_line(struct idx_ahead *a,
					   const char *str, size_t n,
					   size_t lineno, int *oom)
{
	struct idx_ahead_slot *prev;
	int j = next_slot(a, &prev);
	struct idx_ahead_slot *s = &a->s[j];

	*oom = 0;
	if (n + 1 > s->line_cap) {
		char *p = realloc(s->line, n + 1);

		if (!p) {
			/* prev is handed back; this record is lost with the
			 * run, which stops on *oom */
			*oom = 1;
			a->pending = -1;
			return prev;
		}
		s->line = p;
		s->line_cap = n + 1;
	}
	memcpy(s->line, str, n);
	s->line[n] = '\0';
	s->line_len = n;
	s->lineno = lineno;
	fl_doc_init(&s->doc);
	submit(a, j);
	return prev;
}

struct idx_ahead_slot *idx_ahead_flush(struct idx_ahead *a)
{
	int j = a->pending;

	if (j < 0)
		return NULL;
	a->pending = -1;
	return wait_done(a, j);
}

void idx_ahead_done(struct idx_ahead_slot *s)
{
	fl_doc_release(&s->doc);
	fl_doc_init(&s->doc);
	s->used = 0;
}

void idx_ahead_stop(struct idx_ahead *a)
{
	if (!a->running)
		return;
	if (a->pending >= 0)
		idx_ahead_done(idx_ahead_flush(a));
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->th, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free_slots(a);
	fl_analyzer_free(a->an);
	a->an = NULL;
	a->running = 0;
}
