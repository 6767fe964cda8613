-- Emerging themes are clustered in the background (EmergingThemeJob) and the latest result per consultation is kept
-- here, so every instance of the site shows the same one and none clusters in a page request.
-- fingerprint: the set of unfitted comments the result was computed from (count, sum of ids, sum of text lengths); the
-- result is current while the set still matches. result_json holds comment ids, terms and district counts, never
-- comment text (the page reads the text now, so redactions and erasures apply). The last failure is kept for the
-- same kind of fingerprint, so every instance can say the themes could not be worked out; a success clears it.
CREATE TABLE emerging_theme_results (
    consultation_id INTEGER NOT NULL PRIMARY KEY REFERENCES consultations(id),
    fingerprint TEXT NULL,
    computed_at TEXT NULL,
    result_json TEXT NULL,
    failed_fingerprint TEXT NULL,
    failed_at TEXT NULL,
    error TEXT NULL
);
