-- OCOP product groups (Chương trình Mỗi xã một sản phẩm).
-- Source: shared/data/ocop-groups.csv.

-- +goose Up
CREATE TABLE ocop_groups (
    slug       text PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    name_en    text NOT NULL,
    position   smallint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO ocop_groups (slug, name, name_en, position) VALUES
    ('thuc-pham', 'Thực phẩm', 'Food', 1),
    ('do-uong', 'Đồ uống', 'Beverages', 2),
    ('duoc-lieu', 'Dược liệu và sản phẩm từ dược liệu', 'Herbal and medicinal products', 3),
    ('thu-cong-my-nghe', 'Hàng thủ công mỹ nghệ', 'Handicrafts', 4),
    ('sinh-vat-canh', 'Sinh vật cảnh', 'Ornamental plants and animals', 5),
    ('du-lich', 'Dịch vụ du lịch cộng đồng và du lịch sinh thái', 'Community and eco-tourism services', 6);

-- +goose Down
DROP TABLE ocop_groups;
