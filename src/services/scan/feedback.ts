/**
 * What a packer hears and feels after a scan: a short high tone for a right one; for a wrong one
 * a distinct low double tone and a vibration where the device has one. (The red flash is the
 * screen's.) Sounds can be turned off.
 */

export interface FeedbackPlatform {
  /** Makes the audio context on first use (browsers allow it after a user gesture). */
  createAudio: (() => AudioContext) | null
  vibrate: ((pattern: number[]) => boolean) | null
}

// One audio context for the whole app: a context is never closed here and holds an audio thread
// while it lives, and a pack screen (with its own ScanFeedback) is opened for every order.
let sharedAudio: AudioContext | null = null

export function browserFeedbackPlatform(): FeedbackPlatform {
  const AudioCtor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext
  return {
    createAudio: AudioCtor ? () => (sharedAudio ??= new AudioCtor()) : null,
    vibrate: typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function' ? (pattern) => navigator.vibrate(pattern) : null,
  }
}

export class ScanFeedback {
  private audio: AudioContext | null = null
  soundOn = true

  constructor(private readonly platform: FeedbackPlatform) {}

  private tone(frequency: number, startAt: number, durationS: number, type: OscillatorType): void {
    if (!this.soundOn || !this.platform.createAudio) return
    try {
      this.audio ??= this.platform.createAudio()
      const ctx = this.audio
      const oscillator = ctx.createOscillator()
      const gain = ctx.createGain()
      oscillator.type = type
      oscillator.frequency.value = frequency
      gain.gain.value = 0.2
      oscillator.connect(gain).connect(ctx.destination)
      const start = ctx.currentTime + startAt
      oscillator.start(start)
      oscillator.stop(start + durationS)
    } catch {
      // No sound device: the screen still says it.
    }
  }

  right(): void {
    this.tone(1320, 0, 0.08, 'sine')
  }

  wrong(): void {
    this.tone(220, 0, 0.18, 'square')
    this.tone(180, 0.22, 0.25, 'square')
    this.platform.vibrate?.([200, 80, 200])
  }
}
