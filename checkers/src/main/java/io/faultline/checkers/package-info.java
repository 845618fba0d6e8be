/**
 * The checker seam: a {@link io.faultline.checkers.Checker} judges a history and answers a
 * {@link io.faultline.checkers.Result} whose verdict is true, false or unknown; checkers compose,
 * false over unknown over true. This module depends on nothing else of Faultline's, so any tool can
 * check a history with it.
 */
package io.faultline.checkers;
