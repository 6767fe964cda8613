-- Bulk imports (issue 6). One row per uploaded or command-line file and consultation. file_hash (SHA-256 of the bytes)
-- recognises a file already imported. Rows land in batches; each submission's source_ref is 'import:<hash>:<line>'
-- and unique per consultation (ux_submissions_source), so a rerun after a crash skips what was committed and adds the rest.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    file_size INTEGER NOT NULL DEFAULT 0,
    format TEXT NOT NULL DEFAULT '',
    sheet TEXT NULL,
    mapping TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('uploaded','queued','running','completed','failed','cancelled')),
    rows_read INTEGER NOT NULL DEFAULT 0,
    valid_rows INTEGER NOT NULL DEFAULT 0,
    rejected_rows INTEGER NOT NULL DEFAULT 0,
    imported_rows INTEGER NOT NULL DEFAULT 0,
    classified_rows INTEGER NOT NULL DEFAULT 0,
    message TEXT NULL,
    created_by TEXT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT NULL,
    completed_at TEXT NULL
);
CREATE INDEX ix_imports_hash ON imports (consultation_id, file_hash);
CREATE INDEX ix_imports_status ON imports (status, id);

-- The uploaded bytes, kept until the import completes or is abandoned, so a background job or a restart can finish it.
CREATE TABLE import_files (
    import_id INTEGER PRIMARY KEY REFERENCES imports(id),
    content BLOB NOT NULL
);

ALTER TABLE submissions ADD COLUMN import_id INTEGER NULL REFERENCES imports(id);
ALTER TABLE submissions ADD COLUMN event_name TEXT NULL;
CREATE INDEX ix_submissions_import ON submissions (import_id) WHERE import_id IS NOT NULL;
