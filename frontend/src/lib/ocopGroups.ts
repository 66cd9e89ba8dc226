// The six OCOP product groups, in the programme's order (migrations/00003_ocop_groups.sql).
// The API has no list of them; their names are in the i18n files under "groups".
export const ocopGroups = ['thuc-pham', 'do-uong', 'duoc-lieu', 'thu-cong-my-nghe', 'sinh-vat-canh', 'du-lich'] as const;
export type OcopGroup = (typeof ocopGroups)[number];

/** isOcopGroup tells a known group slug from anything else. */
export function isOcopGroup(value: string): value is OcopGroup {
  return (ocopGroups as readonly string[]).includes(value);
}
