/** What people read after a run: the store layout and the rendering of reports and counterexamples. */
package io.faultline.results;
