// Original file: proto/hvswitch/v1/routing.proto


export interface DeleteRouteRequest {
  'vrf'?: (string);
  /**
   * CIDR or "default"
   */
  'prefix'?: (string);
}

export interface DeleteRouteRequest__Output {
  'vrf': (string);
  /**
   * CIDR or "default"
   */
  'prefix': (string);
}
