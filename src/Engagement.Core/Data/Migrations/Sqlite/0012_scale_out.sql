-- Scale-out (issue 7): state that several web instances on one database must share.

-- Background jobs (an import, a retrain, the retention purge) run on one instance at a time: the instance holding the
-- row's lease until expires_at. A crashed holder stops renewing, so another instance takes over after expiry.
CREATE TABLE job_leases (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Fixed-window rate limits counted in the database, so every instance enforces one limit per client. One row per
-- key (policy and client address); window_start is Unix seconds, and a request in a later window resets the count.
CREATE TABLE rate_limit_windows (
    limit_key TEXT NOT NULL PRIMARY KEY,
    window_start INTEGER NOT NULL,
    request_count INTEGER NOT NULL
);
CREATE INDEX ix_rate_limit_windows_start ON rate_limit_windows (window_start);
