-- Matching reads the offers' words index on every request's matches;
-- offers are written seldom. Without the fast-update pending list, new
-- offers go straight into the index and a read never scans a list of
-- unsorted entries (up to 4 MB until a vacuum merges it).

-- +goose Up
ALTER INDEX sourcing_offers_words_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('sourcing_offers_words_idx');

-- +goose Down
ALTER INDEX sourcing_offers_words_idx RESET (fastupdate);
