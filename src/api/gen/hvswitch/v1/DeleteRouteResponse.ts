// Original file: proto/hvswitch/v1/routing.proto


export interface DeleteRouteResponse {
}

export interface DeleteRouteResponse__Output {
}
