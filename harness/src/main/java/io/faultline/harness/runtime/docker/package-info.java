/**
 * {@code --runtime docker}: the nodes in containers of a locally built image, driven through the
 * Docker Engine API (docker-java), partitioned by iptables inside the containers.
 */
package io.faultline.harness.runtime.docker;
