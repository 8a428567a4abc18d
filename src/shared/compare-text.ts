/**
 * Code-unit order, not locale order: the same on every machine, so sorted
 * reports are byte-identical wherever they are built.
 * @example ['b', 'B', 'a'].sort(compareText) // ['B', 'a', 'b']
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
