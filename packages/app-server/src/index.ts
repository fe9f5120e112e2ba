export { buildApp, runAppServer, startAppServer, type AppServer, type AppServerOptions } from './app-server';
