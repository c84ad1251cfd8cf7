/** Checked reads moved to `@om/object-store` (a wrapper over any store); re-exported for `@om/datalake` users. */
export { checkedReads, READ_RESUMES, DEFAULT_BODY_IDLE_MS, type CheckedReadOptions } from '@om/object-store';
