/**
 * `tableDataToBeFresh` and `columnValuesToBeAtExpectedLocation`: definitions evaluated on the
 * shared pass like those of definitions.ts (which registers them).
 */
import { INVALID, NULL, type Coerced } from '../metrics/types';
import type { CaseContext, FinishContext, Outcome, TestDefinition } from './definition-types';
import { shapeContains, type LocationShape } from './geo';
import { ParameterError } from './parameters';
import { pyFloat } from './python-format';

/**
 * `tableDataToBeFresh` (a Collate definition; its validator is not public, its documented behaviour
 * is): `column` holds when a row was updated, `timeSinceUpdate` the allowed age in seconds. The
 * freshness is now − the newest value of the column, in seconds (`freshness`, the UI's
 * TABLE_FRESHNESS_KEY); Failed when it exceeds `timeSinceUpdate`.
 */
export const tableDataToBeFresh: TestDefinition = {
  entityType: 'TABLE',
  prepare(ctx: CaseContext) {
    const name = ctx.params.string('column');
    const column = ctx.table.columns.find((c) => c.name === name);
    if (!column) throw new ParameterError(`column '${name}' not found in table ${ctx.table.fqn}`);
    const limit = ctx.params.number('timeSinceUpdate');
    const slot = ctx.plan.slot(name);
    return (f: FinishContext): Outcome => {
      const { stats } = f.stats(slot);
      const newest = stats.max;
      if (typeof newest !== 'number') {
        return { status: 'Failed', message: `Found no date-time value in column ${name} to measure the freshness on.`, values: [['freshness', 'nan']] };
      }
      const seconds = (ctx.now - newest) / 1000;
      return {
        status: seconds <= limit ? 'Success' : 'Failed',
        message: `Found freshness=${pyFloat(seconds)} seconds (newest ${name} value) vs. the expected timeSinceUpdate=${pyFloat(limit)}.`,
        values: [['freshness', pyFloat(seconds)]],
      };
    };
  },
};

/** A latitude or longitude as OpenMetadata reads it: numbers, or text with `.` or `,` decimals. */
function coordinate(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isNaN(raw) ? undefined : raw;
  if (typeof raw === 'string') {
    const n = Number(raw.trim().replace(',', '.'));
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/**
 * `columnValuesToBeAtExpectedLocation` (OpenMetadata `validations/column/base/
 * columnValuesToBeAtExpectedLocation.py`): the column names a place (`locationReferenceType` CITY →
 * the shapes' `libgeo`, else `codgeo`, compared case-insensitively as text), `longitudeColumnName` /
 * `latitudeColumnName` a point, `radius` a tolerance in meters (÷ 100 000 → degrees). A row is valid
 * when the point is inside one of the place's shapes grown by the radius, invalid when outside,
 * unknown when the place is not in the reference or a coordinate is missing or 0. Success when no row
 * is invalid; values validLocation, invalidLocation, unknownLocation; rows: valid + invalid, failed =
 * invalid. The reference shapes are OpenMetadata's bundled French cities; om-ingest does not ship them:
 * the processor's `locationReferenceFile` names a GeoJSON file of that format.
 */
export const columnValuesToBeAtExpectedLocation: TestDefinition = {
  entityType: 'COLUMN',
  prepare(ctx: CaseContext) {
    const shapes: LocationShape[] | undefined = ctx.locationShapes;
    if (!shapes) {
      throw new ParameterError(
        'the reference shapes are missing: OpenMetadata bundles French cities (metadata/data_quality/data/fr-cities.json); set processor.config.locationReferenceFile to a GeoJSON FeatureCollection of that format',
      );
    }
    const radius = ctx.params.number('radius') / 100000;
    const lonName = ctx.params.string('longitudeColumnName');
    const latName = ctx.params.string('latitudeColumnName');
    const property = ctx.params.string('locationReferenceType').toUpperCase() === 'CITY' ? 'libgeo' : 'codgeo';
    const byPlace = new Map<string, LocationShape[]>();
    for (const s of shapes) {
      const key = String(s.properties[property] ?? '').toLowerCase();
      const list = byPlace.get(key);
      if (list) list.push(s);
      else byPlace.set(key, [s]);
    }
    const refSlot = ctx.plan.slot(ctx.column!.name);
    ctx.plan.slot(lonName);
    ctx.plan.slot(latName);
    let valid = 0;
    let invalid = 0;
    let unknown = 0;
    ctx.plan.observe((values: Coerced[], row) => {
      const ref = values[refSlot];
      const lon = coordinate(row[lonName]);
      const lat = coordinate(row[latName]);
      const places = ref === NULL || ref === INVALID ? undefined : byPlace.get(String(row[ctx.column!.name]).trim().toLowerCase());
      if (!lon || !lat || !places) unknown++;
      else if (places.some((s) => shapeContains(s, lon, lat, radius))) valid++;
      else invalid++;
    });
    return (): Outcome => ({
      status: invalid === 0 ? 'Success' : 'Failed',
      // OpenMetadata's message has no space after the second comma.
      message: `Found validLocation=${valid}, invalidLocation=${invalid},unknownLocation=${unknown} vs. expected 0 invalidLocation.`,
      values: [
        ['validLocation', String(valid)],
        ['invalidLocation', String(invalid)],
        ['unknownLocation', String(unknown)],
      ],
      failedRows: invalid,
      passedRows: valid,
      rowBase: valid + invalid,
    });
  },
};
