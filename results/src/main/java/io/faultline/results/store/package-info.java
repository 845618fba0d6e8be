/**
 * The results store's layout: where a run's files go and how the newest run is found. A run is
 * {@code store/<test-name>/<timestamp>/} with {@code test.json}, {@code history.jsonl}, {@code
 * history.edn}, {@code results.json}, {@code faultline.log} and {@code nodes/<node>/}.
 */
package io.faultline.results.store;
