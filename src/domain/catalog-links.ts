/** What a catalog item (a software product, a recommendation) is linked to: a machine or a vulnerability (CVE). */
export type CatalogLinkKind = 'machine' | 'vulnerability';
