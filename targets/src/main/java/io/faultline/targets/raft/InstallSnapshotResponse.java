package io.faultline.targets.raft;

import io.faultline.targets.node.Message;

/** The follower now holds everything up to {@code lastIncludedIndex}, durably. */
record InstallSnapshotResponse(long term, long lastIncludedIndex, long round) implements Message {}
