/** Reads or writes that always fail for one WorkSpace, with the AWS-style error they fail with. */
export interface SimulatedFaults {
  /** `DescribeTags` fails. */
  readonly tags?: string;
  /** `GetMetricData` fails. */
  readonly usage?: string;
  /** `ModifyWorkspaceProperties` fails. */
  readonly modify?: string;
}
