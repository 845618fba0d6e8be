/**
 * What a run leaves for people and for CI: {@code report.html} ({@link
 * io.faultline.results.report.RunReport}), one self-contained page with the verdict per checker,
 * the seed and the command to reproduce, latency, quantiles and throughput over time with the fault
 * windows shaded and named, a timeline of every process, availability per fault window, the
 * counterexample, and a transactional checker's anomalies with their cycles drawn ({@link
 * io.faultline.results.report.IsolationAnomalies}, also the page {@code faultline check --out} writes
 * for a transactional history); and {@code junit.xml} ({@link io.faultline.results.report.JUnitXml}). {@link
 * io.faultline.results.report.HeadlessChromium} opens a page as a browser would, for tests and
 * benchmarks.
 */
package io.faultline.results.report;
