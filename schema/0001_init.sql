-- 0001_init.sql - the first Findling index schema.
-- Applied by fl_store.c (embedded at build time) when PRAGMA user_version
-- is 0; fl_store sets user_version and fills meta(analyzer_version) itself.
-- The FTS table needs the `german` tokenizer registered on the connection.

-- One row per document. id is the rowid the FTS table points at.
CREATE TABLE documents (
	id INTEGER PRIMARY KEY,        -- rowid of docs_fts rows
	ext_id TEXT NOT NULL UNIQUE,   -- stable external id (jsonl id, relative path)
	title TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	date TEXT,                     -- normalised: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[Z|+hh:mm]
	day TEXT,                      -- YYYY-MM-DD of date (sortable, range filters)
	year INTEGER,                  -- year of date (facets)
	source TEXT,                   -- publisher / origin
	url TEXT,
	type TEXT NOT NULL DEFAULT 'news',  -- news | publication | ...
	lang TEXT NOT NULL DEFAULT 'de',
	path TEXT,                     -- absolute source file (for --prune), NULL for stdin
	content_hash TEXT NOT NULL,    -- hash over all indexed fields
	indexed_at TEXT NOT NULL       -- UTC, YYYY-MM-DDTHH:MM:SSZ
);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_type ON documents(type);
CREATE INDEX documents_lang ON documents(lang);
CREATE INDEX documents_day ON documents(day);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_path ON documents(path);

-- Full-text index over title and body. External content: the text lives
-- only in documents; fl_doc.c keeps both in sync in one transaction.
CREATE VIRTUAL TABLE docs_fts USING fts5(
	title, body,
	content='documents', content_rowid='id',
	tokenize='german', detail=full
);

-- Per-term document counts of docs_fts (suggestions, term_freq refresh).
CREATE VIRTUAL TABLE docs_vocab USING fts5vocab(docs_fts, row);

-- Input files seen by the indexer: the mtime+size fast path and --prune.
CREATE TABLE files (
	path TEXT PRIMARY KEY,         -- absolute path
	mtime INTEGER NOT NULL,        -- st_mtime in nanoseconds
	size INTEGER NOT NULL          -- st_size in bytes
) WITHOUT ROWID;

-- Key/value facts about the index: schema_version, analyzer_version,
-- created_at, generation (bumped by every committed write batch).
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES
	('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	('generation', 0);

-- Corpus frequencies for the compound splitter (documents per word),
-- refreshed by the indexer at the end of a run from docs_vocab.
CREATE TABLE term_freq (
	term TEXT PRIMARY KEY,
	n INTEGER NOT NULL
) WITHOUT ROWID;
