/** How long the landing page waits for Apollo's CDN before it gives up on the Sandbox. */
const SANDBOX_WAIT_MS = 5000;

/**
 * Development landing page: Apollo Sandbox embedded against this gateway. The page loads the
 * Sandbox bundle from Apollo's CDN in the browser; the gateway itself fetches nothing. Where the
 * CDN cannot be reached (the script fails, or has not loaded within a few seconds: a network that
 * drops packets rather than refusing them), the browser goes to the gateway's own GraphiQL at
 * `graphiqlPath` instead.
 */
export function sandboxPage(graphiqlPath: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Serendip · Apollo Sandbox</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
</head>
<body style="margin:0;overflow:hidden">
  <div id="sandbox" style="position:absolute;inset:0"></div>
  <script>
    function toGraphiQL() {
      window.location.replace(${JSON.stringify(graphiqlPath)});
    }
    var sandboxWait = setTimeout(toGraphiQL, ${SANDBOX_WAIT_MS});
    function startSandbox() {
      clearTimeout(sandboxWait);
      if (!window.EmbeddedSandbox) return toGraphiQL();
      new window.EmbeddedSandbox({
        target: '#sandbox',
        initialEndpoint: window.location.origin + window.location.pathname,
        initialState: { sharedHeaders: { 'x-serendip-csrf': '1' } },
        includeCookies: false,
      });
    }
  </script>
  <script
    async
    src="https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js"
    onload="startSandbox()"
    onerror="toGraphiQL()"
  ></script>
</body>
</html>`;
}
