/**
 * The local runtime: bundled nodes as child processes on loopback, each with its own data
 * directory and log. It needs nothing but a JDK.
 */
package io.faultline.harness.runtime.local;
