/**
 * Development landing page: Apollo Sandbox embedded against this gateway. The page loads the
 * Sandbox bundle from Apollo's CDN in the browser; the gateway itself fetches nothing.
 */
export function sandboxPage(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Serendip · Apollo Sandbox</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
</head>
<body style="margin:0;overflow:hidden">
  <div id="sandbox" style="position:absolute;inset:0"></div>
  <script src="https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js"></script>
  <script>
    new window.EmbeddedSandbox({
      target: '#sandbox',
      initialEndpoint: window.location.origin + window.location.pathname,
      initialState: { sharedHeaders: { 'x-serendip-csrf': '1' } },
      includeCookies: false,
    });
  </script>
</body>
</html>`;
}
