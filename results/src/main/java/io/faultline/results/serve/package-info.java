/**
 * A small web server for browsing the results store from a browser on the same machine: the runs
 * newest first with their verdicts, each run's files, and a run as one zip to attach to a bug.
 * Every page is rendered on the server as plain HTML with inline CSS and nothing fetched from
 * elsewhere, and every path in a request is confined to the store.
 *
 * <p>The only public entry point is {@link io.faultline.results.serve.StoreServer}; everything else
 * is an internal of the server and may change freely.
 */
package io.faultline.results.serve;
