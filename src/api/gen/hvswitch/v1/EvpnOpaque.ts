// Original file: proto/hvswitch/v1/bgp.proto


/**
 * An EVPN route type the speaker has no codec for, carried opaque.
 */
export interface EvpnOpaque {
  'routeType'?: (number);
  'value'?: (Buffer | Uint8Array | string);
}

/**
 * An EVPN route type the speaker has no codec for, carried opaque.
 */
export interface EvpnOpaque__Output {
  'routeType': (number);
  'value': (Buffer);
}
