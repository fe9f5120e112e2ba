import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/** Where the bundled GraphiQL answers; the Sandbox landing page sends the browser here when Apollo's CDN is out of reach. */
export const GRAPHIQL_PATH = '/graphiql';
const ASSETS_PATH = `${GRAPHIQL_PATH}/assets/`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * The installed files the page loads, and nothing else: React's and GraphiQL's UMD builds set the
 * globals (React, ReactDOM, GraphiQL) the start script uses, and GraphiQL's bundle carries its own
 * graphql-ws client for subscriptions.
 */
const PACKAGE_FILES = [
  { name: 'react', extension: 'js', type: JS, packageName: 'react', file: 'umd/react.production.min.js' },
  { name: 'react-dom', extension: 'js', type: JS, packageName: 'react-dom', file: 'umd/react-dom.production.min.js' },
  { name: 'graphiql', extension: 'js', type: JS, packageName: 'graphiql', file: 'dist/index.umd.js' },
  { name: 'graphiql', extension: 'css', type: CSS, packageName: 'graphiql', file: 'dist/style.css' },
] as const;

interface Asset {
  path: string;
  type: string;
  body: Buffer;
}

/** An asset whose path names its content's hash, so browsers may keep it for good. */
function asset(name: string, extension: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `${ASSETS_PATH}${name}-${hash}.${extension}`, type, body };
}

/**
 * The start script, served as a file rather than inline so the page's Content-Security-Policy can
 * allow scripts from the gateway alone. Every request carries x-serendip-csrf (the gateway refuses
 * browser requests without one of its CSRF headers); subscriptions go over graphql-ws on the same
 * path, where the header editor's Authorization reaches the socket's init payload.
 */
function startScript(endpoint: string): string {
  return `'use strict';
(function () {
  var endpoint = new URL(${JSON.stringify(endpoint)}, window.location.href);
  var socket = new URL(endpoint.href);
  socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var routed = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: socket.href, headers: { 'x-serendip-csrf': '1' } });
  // createFetcher sends an operation over the socket only when the operation it is asked to run is,
  // by name, a subscription of the document GraphiQL parsed (options.documentAST). GraphiQL leaves
  // operationName empty for a document of one operation, and the parse lags the editor by a
  // debounce, so a subscription run at once went out as an HTTP POST, which the gateway refuses
  // (406). A lone subscription is therefore named here (an anonymous one "Subscription") and, while
  // the parse has not arrived, described by the one definition the routing reads; the socket
  // carries the query text itself.
  var lone = /^\\s*(?:#[^\\n]*\\n\\s*)*subscription\\b\\s*([_A-Za-z][_0-9A-Za-z]*)?/;
  var fetcher = function (params, options) {
    var match = params.operationName ? null : lone.exec(params.query || '');
    if (match) {
      var name = match[1] || 'Subscription';
      var query = match[1] ? params.query : params.query.replace(/\\bsubscription\\b/, 'subscription ' + name);
      params = Object.assign({}, params, { query: query, operationName: name });
      if (!options || !options.documentAST || !match[1]) {
        var definition = { kind: 'OperationDefinition', operation: 'subscription', name: { kind: 'Name', value: name }, selectionSet: { kind: 'SelectionSet', selections: [] } };
        options = Object.assign({}, options, { documentAST: { kind: 'Document', definitions: [definition] } });
      }
    }
    return routed(params, options);
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher: fetcher }));
})();
`;
}

function page(styles: Asset[], scripts: Asset[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Serendip · GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  ${styles.map((style) => `<link rel="stylesheet" href="${style.path}" />`).join('\n  ')}
</head>
<body style="margin:0;height:100vh">
  <div id="graphiql" style="height:100vh"></div>
  ${scripts.map((script) => `<script src="${script.path}"></script>`).join('\n  ')}
</body>
</html>`;
}

/**
 * GraphiQL served entirely by the gateway from installed npm packages, for exploring the API where
 * Apollo's CDN cannot be reached. The files are read once, at start; a request names one of them
 * by its exact path (never a path into the file system), and the page may load nothing from
 * elsewhere (its Content-Security-Policy). Returns a handler that answers `/graphiql` and its
 * assets and leaves every other path alone (false).
 */
export function graphiqlRoutes(endpoint: string) {
  const packageAssets = PACKAGE_FILES.map(({ name, extension, type, packageName, file }) =>
    asset(name, extension, type, readFileSync(join(dirname(require.resolve(`${packageName}/package.json`)), file))),
  );
  const start = asset('start', 'js', JS, Buffer.from(startScript(endpoint)));
  const styles = packageAssets.filter((file) => file.type === CSS);
  const scripts = [...packageAssets.filter((file) => file.type === JS), start];
  const assets = new Map([...styles, ...scripts].map((file) => [file.path, file]));
  const html = Buffer.from(page(styles, scripts));
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const file = assets.get(path);
    if (path !== GRAPHIQL_PATH && !file && !path.startsWith(ASSETS_PATH)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
    } else if (path === GRAPHIQL_PATH) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': html.length,
        'cache-control': 'no-cache',
        // GraphiQL and CodeMirror set inline styles; everything else comes from this gateway.
        'content-security-policy':
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'",
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    } else if (file) {
      res.writeHead(200, {
        'content-type': file.type,
        'content-length': file.body.length,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    }
    return true;
  };
}
