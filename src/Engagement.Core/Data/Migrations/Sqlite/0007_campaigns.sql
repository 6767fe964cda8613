-- Exact and near-duplicate comments grouped by the detector; 3+ respondents makes a campaign, counted once in reports.
-- status: suggested (by the detector, replaced on every run), confirmed (a person agreed), split (a person changed the
-- membership or dissolved it). Reviewed groups survive re-detection and only gain new matching comments.
CREATE TABLE duplicate_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    status TEXT NOT NULL CHECK (status IN ('suggested','confirmed','split')),
    name TEXT NULL,
    representative_comment_id INTEGER NULL REFERENCES comments(id),
    representative_text TEXT NOT NULL,
    all_exact INTEGER NOT NULL DEFAULT 0,
    detected_at TEXT NOT NULL,
    reviewed_by TEXT NULL,
    reviewed_at TEXT NULL
);
CREATE INDEX ix_duplicate_groups_consultation ON duplicate_groups (consultation_id, status, id);

-- removed = 1: a person took the comment out of the group; it is never grouped again by the detector.
CREATE TABLE duplicate_group_members (
    group_id INTEGER NOT NULL REFERENCES duplicate_groups(id),
    comment_id INTEGER NOT NULL REFERENCES comments(id),
    removed INTEGER NOT NULL DEFAULT 0,
    removed_by TEXT NULL,
    removed_at TEXT NULL,
    PRIMARY KEY (group_id, comment_id)
);
CREATE INDEX ix_duplicate_group_members_comment ON duplicate_group_members (comment_id, removed);
