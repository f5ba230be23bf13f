// Original file: proto/hvswitch/v1/l3.proto

/**
 * Neighbor reachability, as `ip neigh` shows it.
 */
export const NeighborState = {
  NEIGHBOR_STATE_UNSPECIFIED: 'NEIGHBOR_STATE_UNSPECIFIED',
  /**
   * ARP/NS sent, no answer yet
   */
  NEIGHBOR_STATE_INCOMPLETE: 'NEIGHBOR_STATE_INCOMPLETE',
  /**
   * confirmed recently
   */
  NEIGHBOR_STATE_REACHABLE: 'NEIGHBOR_STATE_REACHABLE',
  /**
   * usable, to be confirmed on next use
   */
  NEIGHBOR_STATE_STALE: 'NEIGHBOR_STATE_STALE',
  /**
   * resolution failed
   */
  NEIGHBOR_STATE_FAILED: 'NEIGHBOR_STATE_FAILED',
  /**
   * added by the API; never aged
   */
  NEIGHBOR_STATE_PERMANENT: 'NEIGHBOR_STATE_PERMANENT',
} as const;

/**
 * Neighbor reachability, as `ip neigh` shows it.
 */
export type NeighborState =
  | 'NEIGHBOR_STATE_UNSPECIFIED'
  | 0
  /**
   * ARP/NS sent, no answer yet
   */
  | 'NEIGHBOR_STATE_INCOMPLETE'
  | 1
  /**
   * confirmed recently
   */
  | 'NEIGHBOR_STATE_REACHABLE'
  | 2
  /**
   * usable, to be confirmed on next use
   */
  | 'NEIGHBOR_STATE_STALE'
  | 3
  /**
   * resolution failed
   */
  | 'NEIGHBOR_STATE_FAILED'
  | 4
  /**
   * added by the API; never aged
   */
  | 'NEIGHBOR_STATE_PERMANENT'
  | 5

/**
 * Neighbor reachability, as `ip neigh` shows it.
 */
export type NeighborState__Output = typeof NeighborState[keyof typeof NeighborState]
