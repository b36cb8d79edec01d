import { describe, expect, it } from 'vitest'
import { checkTemplate, DEFAULT_CARRIERS, trackingFor, type Carrier } from '#core/carriers.ts'
import { checkTracking } from '#core/status.ts'

const ppl: Carrier = { id: 'ppl', name: 'PPL', tracking_url_template: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId={tracking_number}' }

describe('tracking links from carrier templates', () => {
  it('puts the number where the template says, ready for the shipped status', () => {
    expect(trackingFor(ppl, '40055123456')).toEqual({
      tracking_number: '40055123456',
      tracking_url: 'https://www.ppl.cz/vyhledat-zasilku?shipmentId=40055123456',
    })
  })

  it('takes a scanned number with a scanner’s stray spaces and line end', () => {
    expect(trackingFor(ppl, ' DPD-123_45\r\n')).toMatchObject({ tracking_number: 'DPD-123_45' })
  })

  it('refuses a number MALL would refuse, naming the characters, before anything is sent', () => {
    const refused = trackingFor(ppl, 'AB/12.3')
    expect(refused).toEqual({
      code: 'TRACKING_NUMBER_INVALID',
      message: 'The tracking number “AB/12.3” has characters the marketplace refuses (/ .): use only letters, digits, - and _.',
      attributes: { tracking_number: 'AB/12.3' },
    })
    expect(trackingFor(ppl, '   ')).toMatchObject({ code: 'TRACKING_REQUIRED' })
  })

  it('gives, for every default carrier, a number and link the marketplace’s own rule accepts', () => {
    for (const carrier of DEFAULT_CARRIERS) {
      expect(checkTemplate(carrier.tracking_url_template), carrier.name).toBeNull()
      const tracking = trackingFor(carrier, 'Z123-456_789')
      expect('tracking_url' in tracking && tracking.tracking_url.includes('Z123-456_789'), carrier.name).toBe(true)
      if ('tracking_url' in tracking) expect(checkTracking(tracking.tracking_number, tracking.tracking_url), carrier.name).toBeNull()
    }
  })

  it('refuses a template without the placeholder, with it twice, or not a web address', () => {
    expect(checkTemplate('https://carrier.example/track')).toMatch(/exactly once/)
    expect(checkTemplate('https://carrier.example/{tracking_number}/{tracking_number}')).toMatch(/exactly once/)
    expect(checkTemplate('ftp://carrier.example/{tracking_number}')).toMatch(/https:\/\//)
    expect(checkTemplate('carrier {tracking_number}')).toMatch(/https:\/\//)
  })
})
