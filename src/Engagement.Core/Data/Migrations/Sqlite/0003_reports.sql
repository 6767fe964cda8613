-- Every district a response named, in the order given (import rows may list several, e.g. "SW;T"). submissions.district keeps the first.
CREATE TABLE submission_districts (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    district TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (submission_id, district)
);

-- Strategy authors' edits to report points. Versioned: every save is a new row; the highest version per point wins.
-- A point is keyed by its anchor comment (the lowest comment id it covered) and remembers every comment id it covered,
-- so the edit finds its point again when the report is regenerated with new comments.
CREATE TABLE report_point_edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    point_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    wording TEXT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NULL,
    merged_into TEXT NULL,
    comment_ids TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    edited_at TEXT NOT NULL,
    UNIQUE (consultation_id, point_key, version)
);
CREATE INDEX ix_report_point_edits_consultation ON report_point_edits (consultation_id, point_key, version);
