import type { RandomGenerator } from 'pure-rand';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/**
 * A deterministic random source for the simulated fleet. Each WorkSpace draws
 * from its own stream (derived from the fleet seed and its index), so adding
 * WorkSpaces never changes the ones already generated.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;

  /** @example new SeededRandom(42, 7).int(1, 6) // the same die roll for stream (42, 7), every time */
  constructor(...seedParts: readonly number[]) {
    this.rng = xoroshiro128plus(mixSeed(seedParts));
  }

  /** A uniform integer in `[min, max]`. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.rng);
  }

  /** True with probability `p` (to a millionth). */
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A key drawn with probability proportional to its weight (keys in insertion order). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.int(1, total);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll <= 0) return key;
    }
    throw new RangeError('Weights must be positive integers');
  }

  /** `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, count);
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[this.int(0, alphabet.length - 1)];
    return text;
  }
}

/** FNV-1a: turns a label (a compute type, a stream name) into a seed part. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// Neighbouring seeds (1, 2, 3...) must give unrelated streams, so every part is
// avalanched (murmur3's finaliser) before it reaches the generator.
function mixSeed(parts: readonly number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`Seed parts must be safe integers, got ${part}`);
    const low = part % 0x1_0000_0000;
    const high = Math.floor(part / 0x1_0000_0000);
    hash = fmix32(hash ^ fmix32(low | 0));
    hash = fmix32(hash ^ fmix32((high | 0) ^ 0x85ebca6b));
  }
  return hash | 0;
}

function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
