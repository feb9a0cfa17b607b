/** Which side of the integration a system plays: the shop (sales channel) or the ERP. */
export type SystemRole = 'shop' | 'erp';
