// The Vietnamese paths of the administration pages, in one place.
export const adminPath = '/quan-tri';
export const adminUsersPath = '/quan-tri/nguoi-dung';
export const adminAuditPath = '/quan-tri/nhat-ky';
export const adminSynonymsPath = '/quan-tri/tu-dong-nghia';
export const adminCoopsPath = '/quan-tri/hop-tac-xa';
export const reviewQueuePath = '/duyet-hop-tac-xa';
