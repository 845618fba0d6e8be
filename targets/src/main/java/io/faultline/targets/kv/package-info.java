/**
 * The key/value state machine the bundled replication protocols (Raft, Multi-Paxos) share: its
 * commands, the store they change, their encoding, and the client protocol's writes as commands.
 */
package io.faultline.targets.kv;
