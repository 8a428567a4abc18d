/** How a simulated user connects to their WorkSpace over a month. */
export const UsageArchetype = {
  /** Office hours on weekdays, sometimes with a lunch break or a late evening. */
  FULL_TIME: 'FULL_TIME',
  /** A few fixed weekdays, or short days. */
  PART_TIME: 'PART_TIME',
  /** Long days, weekends included, during one to three weeks of the month; idle otherwise. */
  BURSTY: 'BURSTY',
  /** Never connects. */
  UNUSED: 'UNUSED',
  /** Nights from about 22:00 to 06:00, Sunday to Thursday. */
  NIGHT_SHIFT: 'NIGHT_SHIFT',
  /** Many short sessions (a few minutes each) through the working day. */
  SHORT_SESSIONS: 'SHORT_SESSIONS',
  /** Edge cases only: sessions built to bill an exact number of hours. */
  TARGETED: 'TARGETED',
} as const;
export type UsageArchetype = (typeof UsageArchetype)[keyof typeof UsageArchetype];

/** How often each archetype occurs among the generated (non edge-case) WorkSpaces. */
export const ARCHETYPE_WEIGHTS = {
  FULL_TIME: 30,
  PART_TIME: 18,
  BURSTY: 12,
  UNUSED: 15,
  NIGHT_SHIFT: 8,
  SHORT_SESSIONS: 17,
} as const satisfies Partial<Record<UsageArchetype, number>>;
export type RandomArchetype = keyof typeof ARCHETYPE_WEIGHTS;
