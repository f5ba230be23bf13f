// Original file: proto/hvswitch/v1/l3.proto

/**
 * Where a FIB entry comes from.
 */
export const RouteOrigin = {
  ROUTE_ORIGIN_UNSPECIFIED: 'ROUTE_ORIGIN_UNSPECIFIED',
  /**
   * The subnet of a routed port's address.
   */
  ROUTE_ORIGIN_CONNECTED: 'ROUTE_ORIGIN_CONNECTED',
  /**
   * A routed port's own address, or the VM gateway 169.254.0.1 / fe80::1.
   */
  ROUTE_ORIGIN_LOCAL: 'ROUTE_ORIGIN_LOCAL',
  /**
   * The host route of a vm port's address.
   */
  ROUTE_ORIGIN_VM: 'ROUTE_ORIGIN_VM',
  /**
   * Configured (`vrfs.<name>.routes`, AddRoute).
   */
  ROUTE_ORIGIN_STATIC: 'ROUTE_ORIGIN_STATIC',
} as const;

/**
 * Where a FIB entry comes from.
 */
export type RouteOrigin =
  | 'ROUTE_ORIGIN_UNSPECIFIED'
  | 0
  /**
   * The subnet of a routed port's address.
   */
  | 'ROUTE_ORIGIN_CONNECTED'
  | 1
  /**
   * A routed port's own address, or the VM gateway 169.254.0.1 / fe80::1.
   */
  | 'ROUTE_ORIGIN_LOCAL'
  | 2
  /**
   * The host route of a vm port's address.
   */
  | 'ROUTE_ORIGIN_VM'
  | 3
  /**
   * Configured (`vrfs.<name>.routes`, AddRoute).
   */
  | 'ROUTE_ORIGIN_STATIC'
  | 4

/**
 * Where a FIB entry comes from.
 */
export type RouteOrigin__Output = typeof RouteOrigin[keyof typeof RouteOrigin]
