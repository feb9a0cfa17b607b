/** A record id as one segment of a REST path: ids come from outside (webhooks, links, people) and are always encoded. */
export function idSeg(id: string | number): string {
  return encodeURIComponent(String(id));
}
