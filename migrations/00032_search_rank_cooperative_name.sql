-- The cooperative's name beside its slug in search_rank, so that a search
-- labels its cooperative facet from the candidates it already holds
-- instead of reading a document per cooperative.

-- +goose Up
ALTER TABLE search_rank ADD COLUMN cooperative_name text NOT NULL DEFAULT '';
UPDATE search_rank r SET cooperative_name = d.cooperative_name
FROM search_documents d
WHERE d.id = r.id;

-- +goose Down
ALTER TABLE search_rank DROP COLUMN cooperative_name;
