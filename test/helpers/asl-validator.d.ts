// asl-validator ships no types; what the deployment test uses of it.
declare module 'asl-validator' {
  export interface AslValidation {
    readonly isValid: boolean;
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown): AslValidation;
}
