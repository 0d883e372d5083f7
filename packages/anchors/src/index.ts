/**
 * `@caddm/anchors`: STUB. Nothing is implemented yet; importing it gives no API.
 *
 * @packageDocumentation
 */
export const IMPLEMENTED = false;
