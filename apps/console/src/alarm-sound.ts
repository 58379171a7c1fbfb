import type { AlertPriority } from '@vigil/contracts';

/**
 * Auditory alarm signals after IEC 60601-1-8: high priority, a burst of 10 pulses (3, 2, pause,
 * 3, 2); medium, 3 pulses; low, 2 pulses, each at its own pitch, so a nurse hears the priority
 * without looking. Pulses are short tones with harmonics, as the standard asks.
 */
const PATTERNS: Record<AlertPriority, { pitch: number; pulses: number[] }> = {
  high: { pitch: 880, pulses: [0, 0.2, 0.4, 0.8, 1.0, 1.6, 1.8, 2.0, 2.4, 2.6] },
  medium: { pitch: 660, pulses: [0, 0.25, 0.5] },
  low: { pitch: 440, pulses: [0, 0.35] },
};

export class AlarmSound {
  /** Made at once, so a page can tell from the start whether the browser holds sound back. */
  private readonly context = new AudioContext();
  muted = false;
  /** Every priority sounded, oldest first, for the page and its tests to read. */
  readonly played: AlertPriority[] = [];

  /** Whether the browser lets the page make sound yet (autoplay rules need one user gesture). */
  get blocked(): boolean {
    return this.context.state === 'suspended';
  }

  async unlock(): Promise<void> {
    await this.context.resume();
  }

  play(priority: AlertPriority): void {
    this.played.push(priority);
    document.body.dataset.alarmsPlayed = this.played.slice(-20).join(' ');
    if (this.muted) return;
    const { pitch, pulses } = PATTERNS[priority];
    const start = this.context.currentTime + 0.05;
    for (const offset of pulses) {
      for (const [harmonic, level] of [
        [1, 0.3],
        [2, 0.12],
        [3, 0.08],
      ] as const) {
        const oscillator = this.context.createOscillator();
        const gain = this.context.createGain();
        oscillator.frequency.value = pitch * harmonic;
        gain.gain.setValueAtTime(0, start + offset);
        gain.gain.linearRampToValueAtTime(level, start + offset + 0.02);
        gain.gain.linearRampToValueAtTime(0, start + offset + 0.15);
        oscillator.connect(gain).connect(this.context.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.16);
      }
    }
  }
}
