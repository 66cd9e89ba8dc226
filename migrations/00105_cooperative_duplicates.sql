-- Possible duplicates in the verification queue: cooperatives whose
-- registration numbers share the 10-digit base (a branch "-001" of the same
-- tax code) are found through this index; similar names are compared within
-- one province, which cooperatives_province_name_idx already narrows.

-- +goose Up
CREATE INDEX cooperatives_registration_base_idx ON cooperatives (split_part(registration_number, '-', 1))
    WHERE registration_number IS NOT NULL;

-- +goose Down
DROP INDEX cooperatives_registration_base_idx;
