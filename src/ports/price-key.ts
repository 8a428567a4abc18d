import type { Workspace } from './workspace.js';

/**
 * What a WorkSpace's price depends on: region, compute type, operating system
 * family, licence and volume sizes. The same key addresses the price file and
 * the AWS Price List.
 */

/** Operating systems as priced: one price per family, whatever the version. */
export const OsFamily = {
  WINDOWS: 'WINDOWS',
  AMAZON_LINUX: 'AMAZON_LINUX',
  UBUNTU: 'UBUNTU',
  ROCKY_LINUX: 'ROCKY_LINUX',
  RHEL: 'RHEL',
} as const;
export type OsFamily = (typeof OsFamily)[keyof typeof OsFamily];

export const Licence = {
  /** The operating system licence is in the price (Windows Server, Linux). */
  INCLUDED: 'INCLUDED',
  /** Bring your own licence: a property of the bundle's image. */
  BYOL: 'BYOL',
} as const;
export type Licence = (typeof Licence)[keyof typeof Licence];

export interface PriceKey {
  readonly region: string;
  /** `ComputeTypeName`, upper case: `STANDARD`, `GRAPHICS_G4DN`, ... */
  readonly computeType: string;
  readonly os: OsFamily;
  readonly licence: Licence;
  /** `undefined` when the WorkSpace does not report it: only size-independent prices match. */
  readonly rootVolumeGib: number | undefined;
  readonly userVolumeGib: number | undefined;
  /**
   * A Plus bundle (the Price List's `Standard Plus`, ...): priced apart from
   * the bundle it extends. Absent means not Plus.
   */
  readonly plus?: boolean | undefined;
}

const OS_PREFIXES: readonly (readonly [string, OsFamily])[] = [
  ['WINDOWS', OsFamily.WINDOWS],
  ['AMAZON_LINUX', OsFamily.AMAZON_LINUX],
  ['UBUNTU', OsFamily.UBUNTU],
  ['ROCKY', OsFamily.ROCKY_LINUX],
  ['RHEL', OsFamily.RHEL],
  ['RED_HAT', OsFamily.RHEL],
];

/**
 * `OperatingSystemName` -> its priced family; `undefined` for `UNKNOWN` or new names.
 * @example osFamilyOf('WINDOWS_SERVER_2022') // 'WINDOWS'
 */
export function osFamilyOf(operatingSystemName: string | undefined): OsFamily | undefined {
  const name = operatingSystemName?.toUpperCase() ?? '';
  return OS_PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1];
}

// WorkSpaces offers Windows desktop editions (7, 10, 11) only as BYOL images.
const BYOL_ONLY = /^WINDOWS_(7|10|11)\b/;

/**
 * The WorkSpace's licence: its own `licence` when the fleet source knows it,
 * BYOL for Windows desktop editions (the only way WorkSpaces offers them),
 * otherwise Included.
 */
export function licenceOf(workspace: Workspace): Licence {
  if (workspace.licence !== undefined) return workspace.licence;
  return BYOL_ONLY.test(workspace.operatingSystem?.toUpperCase() ?? '') ? Licence.BYOL : Licence.INCLUDED;
}

/** The key to price `workspace` by; `undefined` when its compute type or OS is unknown. */
export function priceKeyOf(workspace: Workspace): PriceKey | undefined {
  const os = osFamilyOf(workspace.operatingSystem);
  if (os === undefined || workspace.computeType === '') return undefined;
  return {
    region: workspace.region,
    computeType: workspace.computeType.toUpperCase(),
    os,
    licence: licenceOf(workspace),
    rootVolumeGib: workspace.rootVolumeSizeGib,
    userVolumeGib: workspace.userVolumeSizeGib,
    plus: workspace.plus === true,
  };
}

/** For messages: `us-east-1 STANDARD WINDOWS INCLUDED 80/50 GiB`, `... STANDARD PLUS ...` for a Plus bundle. */
export function describePriceKey(key: PriceKey): string {
  const volumes = `${key.rootVolumeGib ?? '?'}/${key.userVolumeGib ?? '?'} GiB`;
  const computeType = key.plus === true ? `${key.computeType} PLUS` : key.computeType;
  return `${key.region} ${computeType} ${key.os} ${key.licence} ${volumes}`;
}
