-- Instant suggestions at a bounded cost whatever the prefix, in one
-- function with a plan made once per connection.
--
-- A short or common prefix ("n", "nuoc m") has thousands of keys in
-- search_suggestions: a range scan of (kind, key) reads them all to keep
-- the best few. search_suggest_keys first walks the best 256 keys of the
-- prefix's bucket (the keys that start with its first one or two
-- characters, a superset of the prefix's keys) in rank order, an
-- index-only scan of search_suggestions_bucket*_idx that stops as soon as
-- it has enough keys with the prefix: they are then the best of all (any
-- better key would have come earlier in the walk). Otherwise the prefix is rare
-- in its bucket, and the range scan of its keys, read only then, is short.
--
-- Both functions force a generic plan: PostgreSQL would otherwise plan the
-- statement at every call (about 1 ms, twice the time of running it),
-- since the estimates of a custom plan always look cheaper.

-- +goose Up
CREATE INDEX search_suggestions_bucket1_idx ON search_suggestions (kind, left(key, 1), rank DESC, id) INCLUDE (key);
CREATE INDEX search_suggestions_bucket2_idx ON search_suggestions (kind, left(key, 2), rank DESC, id) INCLUDE (key);

-- +goose StatementBegin
-- search_suggest_keys returns the p_limit best keys of kind p_kind in the
-- range [p_lo, p_hi) (the keys that start with the prefix p_lo), best
-- rank first.
CREATE FUNCTION search_suggest_keys(p_kind text, p_lo text, p_hi text, p_limit int)
    RETURNS TABLE (id bigint, rank real)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    ids   bigint[];
    ranks real[];
BEGIN
    IF length(p_lo) = 1 THEN
        SELECT array_agg(b.id), array_agg(b.rank) INTO ids, ranks
        FROM (SELECT b.id, b.rank
              FROM (SELECT s.id, s.key, s.rank FROM search_suggestions s
                    WHERE s.kind = p_kind AND left(s.key, 1) = p_lo
                    ORDER BY s.rank DESC, s.id
                    LIMIT 256) b
              WHERE b.key >= p_lo AND b.key < p_hi
              ORDER BY b.rank DESC, b.id
              LIMIT p_limit) b;
    ELSE
        SELECT array_agg(b.id), array_agg(b.rank) INTO ids, ranks
        FROM (SELECT b.id, b.rank
              FROM (SELECT s.id, s.key, s.rank FROM search_suggestions s
                    WHERE s.kind = p_kind AND left(s.key, 2) = left(p_lo, 2)
                    ORDER BY s.rank DESC, s.id
                    LIMIT 256) b
              WHERE b.key >= p_lo AND b.key < p_hi
              ORDER BY b.rank DESC, b.id
              LIMIT p_limit) b;
    END IF;
    IF coalesce(cardinality(ids), 0) >= p_limit THEN
        RETURN QUERY SELECT u.id, u.rank FROM unnest(ids, ranks) AS u(id, rank);
        RETURN;
    END IF;
    RETURN QUERY
        SELECT s.id, s.rank FROM search_suggestions s
        WHERE s.kind = p_kind AND s.key >= p_lo AND s.key < p_hi
        ORDER BY s.rank DESC, s.id
        LIMIT p_limit;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- search_suggest returns, for the prefix p_lo (keys in [p_lo, p_hi)), up
-- to p_products products by name, p_products by the rest of their name,
-- p_products of the best products of the matching provinces, then up to
-- p_others provinces and p_others cooperatives, in that order. Products
-- may repeat.
CREATE FUNCTION search_suggest(p_lo text, p_hi text, p_products int, p_others int)
    RETURNS TABLE (kind text, text text, slug text, extra text)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH keys AS MATERIALIZED (
        SELECT k.id, 1 AS part, k.rank FROM search_suggest_keys('product', p_lo, p_hi, p_products) k
        UNION ALL
        SELECT k.id, 2, k.rank FROM search_suggest_keys('product_rest', p_lo, p_hi, p_products) k
        UNION ALL
        (SELECT s.id, 4, s.rank FROM search_suggestions s
         WHERE s.kind = 'province' AND s.key >= p_lo AND s.key < p_hi ORDER BY s.rank DESC, s.id LIMIT 2 * p_others)
        UNION ALL
        SELECT k.id, 5, k.rank FROM search_suggest_keys('cooperative', p_lo, p_hi, p_others) k
    ), s AS MATERIALIZED (
        SELECT k.part, k.rank, s.kind, s.text, s.slug, s.extra
        FROM keys k JOIN search_suggestions s ON s.id = k.id
    )
    SELECT CASE WHEN x.part < 4 THEN 'product' ELSE x.kind END, x.text, x.slug, x.extra
    FROM (
        SELECT s.part, s.rank, s.kind, s.text, s.slug, s.extra FROM s
        UNION ALL
        -- A product's own suggestion row holds what a suggestion shows.
        (SELECT 3, r.static_rank, 'product', ps.text, ps.slug, ps.extra
         FROM (SELECT DISTINCT s.slug FROM s WHERE s.part = 4) p
         CROSS JOIN LATERAL (SELECT r.id, r.static_rank FROM search_rank r WHERE r.province = p.slug
                             ORDER BY r.static_rank DESC LIMIT p_products) r
         JOIN search_suggestions ps ON ps.doc_id = r.id AND ps.kind = 'product'
         ORDER BY r.static_rank DESC
         LIMIT p_products)
    ) x
    ORDER BY x.part, x.rank DESC;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION search_suggest(text, text, int, int);
DROP FUNCTION search_suggest_keys(text, text, text, int);
DROP INDEX search_suggestions_bucket2_idx;
DROP INDEX search_suggestions_bucket1_idx;
