/**
 * Reference shapes of `columnValuesToBeAtExpectedLocation`: a GeoJSON FeatureCollection of Polygon /
 * MultiPolygon features whose properties name the place (`libgeo`: city, `codgeo`: postal code), the
 * format of the file OpenMetadata bundles (`metadata/data_quality/data/fr-cities.json`, French
 * cities). A point is in a shape buffered by `radius` when it is inside it or at most `radius` away
 * from its edges (the same set shapely's `polygon.buffer(radius).contains(point)` gives).
 */
import * as fs from 'node:fs';

type Ring = [number, number][];

export interface LocationShape {
  /** Polygons, each an outer ring then holes. */
  polygons: Ring[][];
  properties: Record<string, unknown>;
}

export class LocationShapesError extends Error {}

export function parseLocationShapes(json: unknown, label: string): LocationShape[] {
  const features = (json as { features?: unknown })?.features;
  if (!Array.isArray(features)) throw new LocationShapesError(`${label} is not a GeoJSON FeatureCollection (no "features" list)`);
  return features.map((f, i) => {
    const g = (f as { geometry?: { type?: string; coordinates?: unknown } }).geometry;
    const properties = ((f as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
    if (g?.type === 'Polygon') return { polygons: [g.coordinates as Ring[]], properties };
    if (g?.type === 'MultiPolygon') return { polygons: g.coordinates as Ring[][], properties };
    throw new LocationShapesError(`${label}: feature ${i} is a ${String(g?.type)}, not a Polygon or MultiPolygon`);
  });
}

export function loadLocationShapes(file: string): LocationShape[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LocationShapesError(`cannot read the location reference file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LocationShapesError(`the location reference file ${file} is not JSON: ${(err as Error).message}`);
  }
  return parseLocationShapes(json, file);
}

function insideRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(x: number, y: number, [x1, y1]: [number, number], [x2, y2]: [number, number]): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

/** Whether (lon, lat) is inside the shape grown by `radius` (degrees). */
export function shapeContains(shape: LocationShape, lon: number, lat: number, radius: number): boolean {
  for (const polygon of shape.polygons) {
    const [outer, ...holes] = polygon;
    if (insideRing(lon, lat, outer) && !holes.some((h) => insideRing(lon, lat, h))) return true;
    if (radius > 0) {
      for (const ring of polygon) {
        for (let i = 1; i < ring.length; i++) if (segmentDistance(lon, lat, ring[i - 1], ring[i]) <= radius) return true;
      }
    }
  }
  return false;
}
