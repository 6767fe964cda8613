-- Triage: what the engagement team decides about each comment, kept apart from the model's suggestion.
-- redacted_text NULL means nobody has reviewed the redaction yet (reports then redact automatically).
ALTER TABLE comments ADD
    redacted_text NVARCHAR(MAX) NULL,
    redaction_confirmed_by NVARCHAR(254) NULL,
    redaction_confirmed_at DATETIME2 NULL,
    secondary_theme NVARCHAR(100) NULL,
    -- 1 = discloses a risk of harm: listed for immediate human review and never quoted.
    safeguarding BIT NOT NULL CONSTRAINT df_comments_safeguarding DEFAULT 0,
    safeguarding_reason NVARCHAR(400) NULL,
    -- 0 until the safeguarding detector has read the comment (the background scan picks these up).
    safeguarding_checked BIT NOT NULL CONSTRAINT df_comments_safeguarding_checked DEFAULT 0,
    flag_kind NVARCHAR(20) NULL CONSTRAINT ck_comments_flag_kind CHECK (flag_kind IS NULL OR flag_kind IN ('spam','abusive','off-topic')),
    confirmed_by NVARCHAR(254) NULL,
    confirmed_at DATETIME2 NULL;
GO

-- The queue: untriaged comments, least certain first (NULL confidence sorts first) or newest first, keyset-paged.
-- The filter columns ride along so counts and filters are answered from the index without reading the rows.
CREATE INDEX ix_comments_queue_confidence ON comments (consultation_id, status, suggested_confidence, id) INCLUDE (district, respondent_type, channel, suggested_outcome);
CREATE INDEX ix_comments_queue_district ON comments (consultation_id, status, district, suggested_confidence, id);
CREATE INDEX ix_comments_safeguarding ON comments (consultation_id, safeguarding, id);
CREATE INDEX ix_comments_safeguarding_unchecked ON comments (id) WHERE safeguarding_checked = 0;
CREATE INDEX ix_comments_confirmed ON comments (consultation_id, confirmed_at) WHERE confirmed_at IS NOT NULL;

CREATE TABLE comment_notes (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    author NVARCHAR(254) NOT NULL,
    created_at DATETIME2 NOT NULL,
    text NVARCHAR(4000) NOT NULL
);
CREATE INDEX ix_comment_notes_comment ON comment_notes (comment_id, id);

-- Every triage change: who, when, which field, old and new value.
CREATE TABLE comment_audit (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    changed_by NVARCHAR(254) NOT NULL,
    changed_at DATETIME2 NOT NULL,
    field NVARCHAR(50) NOT NULL,
    old_value NVARCHAR(MAX) NULL,
    new_value NVARCHAR(MAX) NULL
);
CREATE INDEX ix_comment_audit_comment ON comment_audit (comment_id, id);

-- Double coding: a second person codes a sample of confirmed comments blind.
CREATE TABLE comment_second_codes (
    comment_id BIGINT NOT NULL PRIMARY KEY REFERENCES comments(id),
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    coder NVARCHAR(254) NOT NULL,
    outcome_id INT NOT NULL,
    theme_id NVARCHAR(100) NOT NULL,
    coded_at DATETIME2 NOT NULL
);
CREATE INDEX ix_comment_second_codes_consultation ON comment_second_codes (consultation_id);

-- Trained model versions; exactly one is active at a time (the one the site serves).
CREATE TABLE model_versions (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    version NVARCHAR(100) NOT NULL CONSTRAINT ux_model_versions_version UNIQUE,
    created_at DATETIME2 NOT NULL,
    created_by NVARCHAR(254) NULL,
    trainer NVARCHAR(50) NOT NULL,
    metrics_json NVARCHAR(MAX) NOT NULL CONSTRAINT df_model_versions_metrics DEFAULT '{}',
    base_rows INT NOT NULL DEFAULT 0,
    confirmed_rows INT NOT NULL DEFAULT 0,
    held_back_rows INT NOT NULL DEFAULT 0,
    status NVARCHAR(10) NOT NULL CONSTRAINT ck_model_versions_status CHECK (status IN ('candidate','active','retired')),
    file_path NVARCHAR(1000) NOT NULL,
    promoted_by NVARCHAR(254) NULL,
    promoted_at DATETIME2 NULL
);

-- Admin edits to the theme taxonomy: add, rename, retire, move to another outcome.
CREATE TABLE theme_audit (
    id BIGINT IDENTITY(1,1) PRIMARY KEY,
    theme_id NVARCHAR(100) NOT NULL,
    changed_by NVARCHAR(254) NOT NULL,
    changed_at DATETIME2 NOT NULL,
    field NVARCHAR(50) NOT NULL,
    old_value NVARCHAR(2000) NULL,
    new_value NVARCHAR(2000) NULL
);
CREATE INDEX ix_theme_audit_theme ON theme_audit (theme_id, id);
