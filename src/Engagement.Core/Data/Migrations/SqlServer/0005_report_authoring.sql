-- What each saved version of a report point did (reworded, hidden, shown, moved, merged, split), for the point's history.
ALTER TABLE report_point_edits ADD action NVARCHAR(40) NULL;
