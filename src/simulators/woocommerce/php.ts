/**
 * Small re-creations of the PHP/WordPress behaviours the WooCommerce simulator must reproduce:
 * PHP's json_encode (escaped slashes, \u escapes), WordPress dates, wpautop for `view` context,
 * slugs, price_html, PHP urlencode for Link headers.
 */
import { createHash } from 'node:crypto';

/** PHP json_encode(): "/" → "\/", non-ASCII → \uXXXX (what WooCommerce puts in webhook bodies). */
export function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Epoch seconds → "2026-11-26T14:01:38" (WordPress REST date, no zone). The simulated site runs in UTC. */
export function wpDate(epochSeconds: number | null): string | null {
  if (epochSeconds === null) return null;
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

/**
 * Parses a REST date parameter the way rest_parse_date() does: ISO 8601 with or without zone.
 * Without a zone the value is site time (UTC here), so both read the same. Returns epoch seconds.
 */
export function parseWpDate(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const zone = m[8] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

/** The `view` context runs post content through wpautop(): a single paragraph gets <p>…</p>\n. */
export function wpautop(text: string): string {
  if (text.trim() === '') return '';
  if (/^\s*<(p|div|ul|ol|table|h\d)[\s>]/i.test(text)) return text;
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${p.replace(/\n/g, '<br />\n')}</p>\n`)
    .join('');
}

/**
 * What WordPress stores of a post title or term name (kses for a shop manager, sanitize_term): a bare "&"
 * becomes "&amp;" (wp_kses_normalize_entities); entities already written stay. The REST API returns it so.
 */
export function wpEscapeName(name: string): string {
  return name.replace(/&(?!(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);)/gi, '&amp;');
}

export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'product'
  );
}

const SYMBOLS: Record<string, string> = { EUR: '&euro;', USD: '&#36;', GBP: '&pound;', CHF: 'CHF', JPY: '&yen;', PLN: '&#122;&#322;', SEK: '&#107;&#114;' };
const SYMBOL_CHARS: Record<string, string> = { EUR: '€', USD: '$', GBP: '£', CHF: 'CHF', JPY: '¥', PLN: 'zł', SEK: 'kr' };

export function currencySymbolHtml(currency: string): string {
  return SYMBOLS[currency] ?? currency;
}
export function currencySymbol(currency: string): string {
  return SYMBOL_CHARS[currency] ?? currency;
}

function amountHtml(amount: string, currency: string): string {
  return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">${currencySymbolHtml(currency)}</span>${amount}</bdi></span>`;
}

/** price_html of a simple product or variation. */
export function priceHtml(price: string, regular: string, sale: string, currency: string): string {
  if (price === '') return '';
  if (sale !== '' && regular !== '' && sale !== regular) {
    return `<del aria-hidden="true">${amountHtml(regular, currency)}</del> <ins>${amountHtml(sale, currency)}</ins>`;
  }
  return amountHtml(price, currency);
}

export function priceRangeHtml(min: string, max: string, currency: string): string {
  if (min === '') return '';
  return min === max ? amountHtml(min, currency) : `${amountHtml(min, currency)} &ndash; ${amountHtml(max, currency)}`;
}

/** PHP urlencode(): like encodeURIComponent, plus !'()* encoded and space as "+". */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}
