/**
 * The Price List names a region by its long name in `location` (and, in newer
 * offers, by its code in `regionCode`). AWS renamed "EU (…)" to "Europe (…)",
 * so both spellings are here. Sources: docs/finance.md, "The real shape"
 * (csp-pricing's WorkSpaces location map, 2021; a 2026 client's `_REGION_LOCATIONS`).
 */
const LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['US East (N. Virginia)'],
  'us-west-2': ['US West (Oregon)'],
  'ca-central-1': ['Canada (Central)'],
  'sa-east-1': ['South America (Sao Paulo)'],
  'eu-west-1': ['Europe (Ireland)', 'EU (Ireland)'],
  'eu-west-2': ['Europe (London)', 'EU (London)'],
  'eu-central-1': ['Europe (Frankfurt)', 'EU (Frankfurt)'],
  'ap-south-1': ['Asia Pacific (Mumbai)'],
  'ap-northeast-1': ['Asia Pacific (Tokyo)'],
  'ap-northeast-2': ['Asia Pacific (Seoul)'],
  'ap-southeast-1': ['Asia Pacific (Singapore)'],
  'ap-southeast-2': ['Asia Pacific (Sydney)'],
  'af-south-1': ['Africa (Cape Town)'],
  'il-central-1': ['Israel (Tel Aviv)'],
  'us-gov-west-1': ['AWS GovCloud (US-West)', 'AWS GovCloud (US)'],
  'us-gov-east-1': ['AWS GovCloud (US-East)'],
};

const REGION_BY_LOCATION = new Map(
  Object.entries(LOCATIONS).flatMap(([region, names]) => names.map((name) => [name, region] as const)),
);

/** The `location` values a region may carry; empty for a region not in the table. */
export function locationsOf(region: string): readonly string[] {
  return Object.hasOwn(LOCATIONS, region) ? LOCATIONS[region]! : [];
}

/**
 * The region a product is for: its `regionCode` when it has one, else its
 * `location` looked up; `undefined` for `Any` or a name not in the table.
 * @example regionOfProduct({ location: 'EU (Ireland)' }) // 'eu-west-1'
 */
export function regionOfProduct(attributes: {
  readonly regionCode?: string | undefined;
  readonly location?: string | undefined;
}): string | undefined {
  if (attributes.regionCode) return attributes.regionCode;
  return attributes.location === undefined ? undefined : REGION_BY_LOCATION.get(attributes.location);
}
