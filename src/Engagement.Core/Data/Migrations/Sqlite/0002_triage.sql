-- Triage: what the engagement team decides about each comment, kept apart from the model's suggestion.
-- redacted_text NULL means nobody has reviewed the redaction yet (reports then redact automatically).
ALTER TABLE comments ADD COLUMN redacted_text TEXT NULL;
ALTER TABLE comments ADD COLUMN redaction_confirmed_by TEXT NULL;
ALTER TABLE comments ADD COLUMN redaction_confirmed_at TEXT NULL;
ALTER TABLE comments ADD COLUMN secondary_theme TEXT NULL;
-- 1 = discloses a risk of harm: listed for immediate human review and never quoted.
ALTER TABLE comments ADD COLUMN safeguarding INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN safeguarding_reason TEXT NULL;
-- 0 until the safeguarding detector has read the comment (the background scan picks these up).
ALTER TABLE comments ADD COLUMN safeguarding_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN flag_kind TEXT NULL CHECK (flag_kind IS NULL OR flag_kind IN ('spam','abusive','off-topic'));
ALTER TABLE comments ADD COLUMN confirmed_by TEXT NULL;
ALTER TABLE comments ADD COLUMN confirmed_at TEXT NULL;

-- The queue: untriaged comments, least certain first (NULL confidence sorts first) or newest first, keyset-paged.
-- The filter columns ride along so counts and filters are answered from the index without reading the rows.
CREATE INDEX ix_comments_queue_confidence ON comments (consultation_id, status, suggested_confidence, id, district, respondent_type, channel, suggested_outcome);
CREATE INDEX ix_comments_queue_district ON comments (consultation_id, status, district, suggested_confidence, id);
CREATE INDEX ix_comments_safeguarding ON comments (consultation_id, safeguarding, id);
CREATE INDEX ix_comments_safeguarding_unchecked ON comments (id) WHERE safeguarding_checked = 0;
CREATE INDEX ix_comments_confirmed ON comments (consultation_id, confirmed_at) WHERE confirmed_at IS NOT NULL;

CREATE TABLE comment_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX ix_comment_notes_comment ON comment_notes (comment_id, id);

-- Every triage change: who, when, which field, old and new value.
CREATE TABLE comment_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NULL,
    new_value TEXT NULL
);
CREATE INDEX ix_comment_audit_comment ON comment_audit (comment_id, id);

-- Double coding: a second person codes a sample of confirmed comments blind.
CREATE TABLE comment_second_codes (
    comment_id INTEGER PRIMARY KEY REFERENCES comments(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    coder TEXT NOT NULL,
    outcome_id INTEGER NOT NULL,
    theme_id TEXT NOT NULL,
    coded_at TEXT NOT NULL
);
CREATE INDEX ix_comment_second_codes_consultation ON comment_second_codes (consultation_id);

-- Trained model versions; exactly one is active at a time (the one the site serves).
CREATE TABLE model_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    trainer TEXT NOT NULL,
    metrics_json TEXT NOT NULL DEFAULT '{}',
    base_rows INTEGER NOT NULL DEFAULT 0,
    confirmed_rows INTEGER NOT NULL DEFAULT 0,
    held_back_rows INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('candidate','active','retired')),
    file_path TEXT NOT NULL,
    promoted_by TEXT NULL,
    promoted_at TEXT NULL
);

-- Admin edits to the theme taxonomy: add, rename, retire, move to another outcome.
CREATE TABLE theme_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    theme_id TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NULL,
    new_value TEXT NULL
);
CREATE INDEX ix_theme_audit_theme ON theme_audit (theme_id, id);
