import type { CheckoutForm, ProductOffer } from '../../../../server/marketplace/allegro/wire.ts'

/**
 * Allegro's shapes as the official OpenAPI document gives them (CheckoutForm, SaleProductOfferResponseV1),
 * with its example values where it has them: a Czech order in CZK, amounts as strings.
 */
export function checkoutForm(overrides: Partial<CheckoutForm> = {}): CheckoutForm {
  return {
    id: '29738e61-7f6a-11e8-ac45-09db60ede9d6',
    messageToSeller: 'Prosím zabalit jako dárek',
    buyer: {
      id: '23123123',
      email: 'user-a1b2c3@allegromail.pl',
      login: 'User_Login',
      firstName: 'Jan',
      lastName: 'Novák',
      companyName: null,
      guest: false,
      phoneNumber: '+420 601 123 456',
    },
    payment: { id: '0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6', type: 'CASH_ON_DELIVERY', provider: 'OFFLINE', finishedAt: null, paidAmount: null },
    status: 'READY_FOR_PROCESSING',
    fulfillment: { status: 'NEW', shipmentSummary: { lineItemsSent: 'NONE' }, provider: { id: 'SELLER' } },
    delivery: {
      address: {
        firstName: 'Jan',
        lastName: 'Novák',
        street: 'Dlouhá 12',
        city: 'Praha',
        zipCode: '110 00',
        countryCode: 'CZ',
        companyName: null,
        phoneNumber: '+420 601 123 456',
        modifiedAt: null,
      },
      method: { id: '1fa56f79-4b6a-4821-a6f2-ca9c16d5c925', name: 'Kurýr DPD' },
      pickupPoint: null,
      cost: { amount: '89.00', currency: 'CZK' },
      time: { dispatch: { from: '2026-11-26T08:00:00Z', to: '2026-11-27T16:00:00Z' } },
      smart: false,
      calculatedNumberOfPackages: 1,
    },
    lineItems: [
      {
        id: '62ae358b-8f65-4fc4-9c77-bedf604a2e2b',
        offer: { id: '12394584234', name: 'Hrnek Allegro 330 ml', external: { id: 'MUG-330' } },
        quantity: 2,
        originalPrice: { amount: '199.00', currency: 'CZK' },
        price: { amount: '199.00', currency: 'CZK' },
        tax: { rate: '21.00' },
        boughtAt: '2026-11-25T10:12:32.321Z',
      },
    ],
    surcharges: [],
    summary: { totalToPay: { amount: '487.00', currency: 'CZK' } },
    marketplace: { id: 'allegro-cz' },
    updatedAt: '2026-11-25T10:15:00.000Z',
    revision: '819b5836',
    ...overrides,
  } as CheckoutForm
}

export function productOffer(overrides: Partial<ProductOffer> = {}): ProductOffer {
  return {
    id: '12394584234',
    name: 'Hrnek Allegro 330 ml',
    images: ['https://a.allegroimg.com/original/12068b/359d04074521b79df1b2807a6727', 'https://a.allegroimg.com/original/2/second'],
    external: { id: 'MUG-330' },
    // The top-level parameters are the offer's; the EAN is the product's (parameter 225693).
    parameters: [{ id: '11323', name: 'Stan', values: ['Nowy'] }],
    productSet: [
      {
        quantity: { value: 1 },
        product: {
          id: 'c9e39cae-9cb6-11e9-a2a3-2a2ae2dbcce4',
          parameters: [
            { id: '224017', name: 'Manufacturer code', values: ['4234'] },
            { id: '225693', name: 'EAN (GTIN)', values: ['5901234123457'] },
          ],
        },
      },
    ],
    ...overrides,
  } as ProductOffer
}
