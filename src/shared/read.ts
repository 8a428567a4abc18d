import { errorMessage } from './errors.js';

/** A read that may fail for one WorkSpace without failing the others. */
export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

export function failed<T>(error: unknown): Read<T> {
  return { ok: false, error: errorMessage(error) };
}
