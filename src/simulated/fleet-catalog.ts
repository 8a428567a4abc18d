/**
 * The realistic values the simulated fleet draws from: compute types with
 * their bundles' volume sizes, operating systems, user names and tags.
 */

/** `WorkspaceProperties.ComputeTypeName` values of current bundles, by how common they are. */
export const COMPUTE_TYPE_WEIGHTS = {
  STANDARD: 34,
  PERFORMANCE: 20,
  VALUE: 14,
  POWER: 12,
  POWERPRO: 8,
  GRAPHICS_G4DN: 6,
  GRAPHICSPRO_G4DN: 6,
} as const;
export type ComputeType = keyof typeof COMPUTE_TYPE_WEIGHTS;

export interface Volumes {
  readonly rootGib: number;
  readonly userGib: number;
}

/** Root and user volume sizes of the public bundles per compute type. */
export const BUNDLE_VOLUMES: Readonly<Record<string, Volumes>> = {
  VALUE: { rootGib: 80, userGib: 10 },
  STANDARD: { rootGib: 80, userGib: 50 },
  PERFORMANCE: { rootGib: 80, userGib: 100 },
  POWER: { rootGib: 175, userGib: 100 },
  POWERPRO: { rootGib: 175, userGib: 100 },
  GRAPHICS_G4DN: { rootGib: 100, userGib: 100 },
  GRAPHICSPRO_G4DN: { rootGib: 100, userGib: 100 },
};
/** For compute types the catalog does not know (new or custom bundles). */
export const OTHER_VOLUMES: Volumes = { rootGib: 175, userGib: 100 };

export const OPERATING_SYSTEM_WEIGHTS = {
  WINDOWS_SERVER_2022: 55,
  WINDOWS_11: 20,
  AMAZON_LINUX_2: 15,
  UBUNTU_22_04: 10,
} as const;
export type OperatingSystem = keyof typeof OPERATING_SYSTEM_WEIGHTS;

/** GPU bundles are offered with Windows only. */
export const GRAPHICS_COMPUTE_TYPES: ReadonlySet<string> = new Set(['GRAPHICS_G4DN', 'GRAPHICSPRO_G4DN']);

/** AutoStop timeouts an administrator picks (minutes, whole hours as the service requires). */
export const AUTO_STOP_TIMEOUT_WEIGHTS = { '60': 60, '120': 22, '180': 10, '240': 8 } as const;

export const FIRST_NAMES: readonly string[] = [
  'anna',
  'ben',
  'carla',
  'david',
  'elena',
  'farid',
  'grace',
  'hugo',
  'ines',
  'jonas',
  'kenji',
  'lena',
  'marco',
  'nadia',
  'oscar',
  'priya',
  'quentin',
  'rosa',
  'samir',
  'tara',
  'umar',
  'vera',
  'wei',
  'ximena',
  'yusuf',
  'zoe',
  'liam',
  'mia',
  'noah',
  'olga',
];

export const LAST_NAMES: readonly string[] = [
  'smith',
  'garcia',
  'nguyen',
  'schmidt',
  'rossi',
  'kowalski',
  'dubois',
  'tanaka',
  'silva',
  'jensen',
  'okafor',
  'patel',
  'ivanova',
  'murphy',
  'haddad',
  'larsen',
  'moreau',
  'novak',
  'costa',
  'fischer',
  'kim',
  'lopez',
  'martin',
  'weber',
  'yilmaz',
  'andersson',
  'chen',
  'dias',
  'evans',
  'horvat',
];

export const TAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  CostCenter: ['1001', '1002', '2040', '3100', '4200'],
  Department: ['Finance', 'Engineering', 'Support', 'Design', 'Sales', 'Operations'],
  Environment: ['prod', 'dev', 'training'],
  Project: ['atlas', 'borealis', 'cobalt', 'delta'],
};
