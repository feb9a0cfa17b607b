/** JSON as the store keeps it: any JSON value, stored as text in a column (both dialects). */

/** Any JSON value (same shape as the connector contract's Json; the store must not import connectors). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON text in a column. */
export type JsonText = string;
