CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft','open','closed')),
    created_at TEXT NOT NULL
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    key TEXT NOT NULL,
    prompt TEXT NOT NULL,
    outcome_id INTEGER NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (consultation_id, key)
);

CREATE TABLE themes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    outcome_id INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    example_phrases TEXT NOT NULL DEFAULT '',
    reasoning TEXT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    reference TEXT NOT NULL UNIQUE,
    respondent_type TEXT NOT NULL,
    organisation TEXT NULL,
    partner_type TEXT NULL,
    district TEXT NULL,
    channel TEXT NOT NULL,
    consent_to_quote INTEGER NOT NULL DEFAULT 0,
    age_band TEXT NULL,
    sex TEXT NULL,
    ethnic_group TEXT NULL,
    disability TEXT NULL,
    unpaid_carer TEXT NULL,
    idempotency_key TEXT NULL UNIQUE,
    source_ref TEXT NULL,
    submitted_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_submissions_consultation ON submissions (consultation_id, id);
CREATE UNIQUE INDEX ux_submissions_source ON submissions (consultation_id, source_ref) WHERE source_ref IS NOT NULL;

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    question_id INTEGER NULL REFERENCES questions(id),
    text TEXT NOT NULL,
    chosen_outcome INTEGER NULL,
    suggested_outcome INTEGER NULL,
    suggested_theme TEXT NULL,
    suggested_confidence REAL NULL,
    suggestion_needs_review INTEGER NOT NULL DEFAULT 0,
    suggestion_model_version TEXT NULL,
    confirmed_outcome INTEGER NULL,
    confirmed_theme TEXT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','triaged','spam','hidden')),
    district TEXT NULL,
    respondent_type TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_comments_consultation ON comments (consultation_id, id);
CREATE INDEX ix_comments_status ON comments (consultation_id, status, id);
CREATE INDEX ix_comments_district ON comments (consultation_id, district, id);
CREATE INDEX ix_comments_outcome ON comments (consultation_id, suggested_outcome, id);
CREATE INDEX ix_comments_submission ON comments (submission_id);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    security_stamp TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NULL
);
