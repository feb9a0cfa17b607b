export interface OrderItem {
  shopId: string;
  number: string;
  erpId: string | null;
  erpName: string | null;
  email: string | null;
  shopStatus: string;
  erpState: string | null;
  shopTotal: string;
  erpTotal: string | null;
  currency: string;
  orderedAt: string | null;
  importedAt: string | null;
  flags: ('waiting' | 'dead' | 'differs')[];
}
