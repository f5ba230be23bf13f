// Original file: proto/hvswitch/v1/l3.proto

/**
 * What a route does with a packet (iproute2's route types).
 */
export const RouteType = {
  /**
   * Treated as UNICAST in requests.
   */
  ROUTE_TYPE_UNSPECIFIED: 'ROUTE_TYPE_UNSPECIFIED',
  /**
   * Forwarded to `nexthops` (several: ECMP, flow hash on the 5-tuple).
   */
  ROUTE_TYPE_UNICAST: 'ROUTE_TYPE_UNICAST',
  /**
   * Dropped silently (and counted: drop_blackhole).
   */
  ROUTE_TYPE_BLACKHOLE: 'ROUTE_TYPE_BLACKHOLE',
  /**
   * Dropped with ICMP/ICMPv6 destination unreachable (rate limited).
   */
  ROUTE_TYPE_UNREACHABLE: 'ROUTE_TYPE_UNREACHABLE',
  /**
   * Answers only: delivered to the switch itself.
   */
  ROUTE_TYPE_LOCAL: 'ROUTE_TYPE_LOCAL',
} as const;

/**
 * What a route does with a packet (iproute2's route types).
 */
export type RouteType =
  /**
   * Treated as UNICAST in requests.
   */
  | 'ROUTE_TYPE_UNSPECIFIED'
  | 0
  /**
   * Forwarded to `nexthops` (several: ECMP, flow hash on the 5-tuple).
   */
  | 'ROUTE_TYPE_UNICAST'
  | 1
  /**
   * Dropped silently (and counted: drop_blackhole).
   */
  | 'ROUTE_TYPE_BLACKHOLE'
  | 2
  /**
   * Dropped with ICMP/ICMPv6 destination unreachable (rate limited).
   */
  | 'ROUTE_TYPE_UNREACHABLE'
  | 3
  /**
   * Answers only: delivered to the switch itself.
   */
  | 'ROUTE_TYPE_LOCAL'
  | 4

/**
 * What a route does with a packet (iproute2's route types).
 */
export type RouteType__Output = typeof RouteType[keyof typeof RouteType]
