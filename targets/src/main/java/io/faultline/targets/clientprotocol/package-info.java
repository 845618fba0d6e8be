/**
 * The client protocol every bundled target speaks: a {@link io.faultline.targets.clientprotocol.Request}
 * in, a {@link io.faultline.targets.clientprotocol.Response} out, with three outcomes (done, not done,
 * unknown). On the wire it is HTTP/1.1 with JSON bodies; see the module's README.
 */
package io.faultline.targets.clientprotocol;
