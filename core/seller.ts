/** The seller as the warehouse prints it (the station's settings). */
export interface Seller {
  name: string
  street: string
  city: string
  zip: string
  country: string
  phone: string | null
  email: string | null
  /** Company registration number (IČO), printed on the delivery note when set. */
  company_id: string | null
  vat_id: string | null
}

export const DEMO_SELLER: Seller = {
  name: 'Demo Warehouse s.r.o.',
  street: 'Skladová 12',
  city: 'Praha 9',
  zip: '190 00',
  country: 'CZ',
  phone: '+420 222 333 444',
  email: 'expedice@demo-warehouse.example',
  company_id: '12345678',
  vat_id: 'CZ12345678',
}
