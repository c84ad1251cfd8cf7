/**
 * What a fresh OpenMetadata server is seeded with (tags, test definitions). The request contract itself
 * comes from OpenMetadata's JSON Schemas (`contract.ts`), not from lists kept here.
 */

/** Tags seeded like a fresh server (classification.tag). */
export const DEFAULT_TAGS = [
  'PII.Sensitive', 'PII.NonSensitive', 'PII.None', 'PersonalData.Personal', 'PersonalData.SpecialCategory',
  'Tier.Tier1', 'Tier.Tier2', 'Tier.Tier3', 'Tier.Tier4', 'Tier.Tier5',
];

/** Default OpenMetadata test definitions the server is seeded with (name → entityType). */
export const DEFAULT_TEST_DEFINITIONS: Record<string, 'TABLE' | 'COLUMN'> = {
  tableRowCountToBeBetween: 'TABLE', tableRowCountToEqual: 'TABLE', tableColumnCountToBeBetween: 'TABLE',
  tableColumnCountToEqual: 'TABLE', tableColumnNameToExist: 'TABLE', tableColumnToMatchSet: 'TABLE',
  tableCustomSQLQuery: 'TABLE', tableRowInsertedCountToBeBetween: 'TABLE',
  columnValuesToBeNotNull: 'COLUMN', columnValuesToBeUnique: 'COLUMN', columnValuesToBeBetween: 'COLUMN',
  columnValuesToBeInSet: 'COLUMN', columnValuesToBeNotInSet: 'COLUMN', columnValuesToMatchRegex: 'COLUMN',
  columnValuesToNotMatchRegex: 'COLUMN', columnValueLengthsToBeBetween: 'COLUMN', columnValuesMissingCount: 'COLUMN',
  columnValuesSumToBeBetween: 'COLUMN', columnValueMaxToBeBetween: 'COLUMN', columnValueMinToBeBetween: 'COLUMN',
  columnValueMeanToBeBetween: 'COLUMN', columnValueMedianToBeBetween: 'COLUMN', columnValueStdDevToBeBetween: 'COLUMN',
};
