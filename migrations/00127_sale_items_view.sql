-- +goose Up
-- A variant as carts and checkout see it: what it is, who sells it, its
-- price, tiers and stock, and whether it is on sale. The catalog reads it
-- for carts; the checkout reads it in the statement that locks the cart,
-- so that one definition of "on sale" serves both.
CREATE VIEW sale_items AS
SELECT v.id AS variant_id, p.id AS product_id, p.slug AS product_slug, p.name AS product_name,
       c.id AS coop_id, c.slug AS coop_slug, c.name AS coop_name, c.province_slug AS coop_province,
       v.sku, v.unit, v.price_vnd, v.stock, v.wholesale_min_qty, v.price_tiers,
       (SELECT i.thumb_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS thumb_key,
       (v.status = 'active' AND p.status = 'active' AND c.status = 'verified') AS on_sale
FROM product_variants v
JOIN products p ON p.id = v.product_id
JOIN cooperatives c ON c.id = p.cooperative_id;

-- +goose Down
DROP VIEW sale_items;
