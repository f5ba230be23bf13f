/**
 * The BGP message counters kept per neighbor, sent and received: one row per
 * message type (RFC 4271 §4, RFC 2918).  The speaker counts into records keyed
 * by `key`; the API's MessageCounters message has one field per row (`key` in
 * camelCase, plus `total`; a unit test pins the proto to this table), the
 * Prometheus metrics `hvswitch_bgp_peer_messages_{sent,received}_total` use
 * `type` as the label value, and `hvswitch bgp neighbor ADDR` prints `label`.
 * The rows are in the proto's field order.
 */
export const MESSAGE_COUNTERS = [
  { key: 'open', type: 'open', label: 'Opens', help: 'OPEN messages (RFC 4271 §4.2)' },
  { key: 'update', type: 'update', label: 'Updates', help: 'UPDATE messages (RFC 4271 §4.3)' },
  { key: 'notification', type: 'notification', label: 'Notifications', help: 'NOTIFICATION messages (RFC 4271 §4.5)' },
  { key: 'keepalive', type: 'keepalive', label: 'Keepalives', help: 'KEEPALIVE messages (RFC 4271 §4.4)' },
  { key: 'routeRefresh', type: 'route_refresh', label: 'Route Refresh', help: 'ROUTE-REFRESH messages (RFC 2918, RFC 7313)' },
] as const satisfies readonly { key: string; type: string; label: string; help: string }[];

export type MessageCounterKey = (typeof MESSAGE_COUNTERS)[number]['key'];
export type MessageCounts = Record<MessageCounterKey, number>;

/** A fresh all-zero count record. */
export function zeroMessageCounts(): MessageCounts {
  return Object.fromEntries(MESSAGE_COUNTERS.map((c) => [c.key, 0])) as MessageCounts;
}

/** The counts with their sum, as the API's MessageCounters message. */
export function withTotal(c: MessageCounts): MessageCounts & { total: number } {
  return { ...c, total: MESSAGE_COUNTERS.reduce((s, m) => s + c[m.key], 0) };
}
