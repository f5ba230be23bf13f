// The controller as a library (like GoBGP's BgpServer): the desired-state
// model (config*.ts), the reconciler, the route sets per origin and the one
// serialized change queue.  The daemon (src/daemon) and the API (src/api)
// are its clients; it imports neither.
export * from './config.js';
export { configRouteSets, vrfRoutes, type ConfigRouteSets } from './config-routes.js';
export { Controller, type ApplySummary, type RouteChange } from './controller.js';
export { portSpec, ReconcileError } from './reconcile.js';
export { routerMac } from './router-mac.js';
export { CONFIG_ORIGINS, ORIGINS, RouteSetError, RouteSets, isConfigOrigin, isOrigin, type ConfigOrigin, type Origin, type OwnedOrigin } from './route-sets.js';
export { ConfigPersistence, type PersistState } from './config-persist.js';
export { ConfigDocument, diffRaw, editText, writeAtomic, type DocEdit, type DocPath } from './config-document.js';
export { missingInterfaces, PortPresence, type PortPresenceState, type PresenceCounts } from './port-presence.js';
