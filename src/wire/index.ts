/** Wire types and constants shared by the server and the web client. */

export * from './actions';
export * from './console';
export * from './errors';
export * from './investigation';
export * from './msel';
export * from './range-health';
export * from './report';
export * from './roles';
export * from './socket-events';
export * from './storage';
export * from './terminal';
export * from './views';
